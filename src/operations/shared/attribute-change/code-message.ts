/**
 * @module A code proving an email address or phone number, and the message that carries it: the
 * CustomMessage trigger with the source of the calling operation, the pool's code templates, and
 * the sealed outbox entry, delivered by email or SMS like a sign-up code.
 */
import { issueAccountCode, type AccountCodeRecord } from '../../../domain/account-codes.ts';
import type { DeliveryTarget } from '../../../domain/delivery-details.ts';
import type { OutboxMessage, PoolRecord, UserRecord } from '../../../domain/records.ts';
import { composeAttributeVerification } from '../../../delivery/compose.ts';
import { sealPayload } from '../../../delivery/payload.ts';
import { senderAddress } from '../../../delivery/sender-address.ts';
import { customMessageReplacement } from '../../../triggers/custom-message.ts';
import { customMessageEvent, type EventOrigin } from '../../../triggers/events.ts';
import type { AttributeCodePurpose } from '../../../store/attribute-store.ts';
import type { Services } from '../../services.ts';
import { purposeOf, type CodeTarget } from './plan.ts';

export interface PreparedCode {
  target: DeliveryTarget;
  record: AccountCodeRecord & { purpose: AttributeCodePurpose };
  message: OutboxMessage;
}

export interface CodeMessageRequest {
  pool: PoolRecord;
  origin: EventOrigin;
  user: UserRecord;
  /** The attributes the trigger sees: the user's as the change leaves them, with the value being proved. */
  attributes: Record<string, string>;
  target: CodeTarget;
  source: 'CustomMessage_UpdateUserAttribute' | 'CustomMessage_VerifyUserAttribute';
  clientMetadata?: Record<string, string>;
  now: number;
}

export async function prepareAttributeCode(s: Pick<Services, 'box' | 'triggers'>, r: CodeMessageRequest): Promise<PreparedCode> {
  const { attribute, destination } = r.target;
  const purpose = purposeOf(attribute);
  const { code, record } = issueAccountCode(s.box, r.pool.id, r.user.usernameKey, purpose, attribute, r.now);
  const medium = attribute === 'email' ? 'EMAIL' : 'SMS';
  const eventUser = { ...r.user, attributes: { ...r.attributes, [attribute]: destination } };
  const response = await s.triggers.run(r.pool, 'CustomMessage', customMessageEvent(r.origin, r.source, eventUser, r.clientMetadata));
  const custom = response && customMessageReplacement(r.pool.settings, response, { attributeVerification: true });
  const composed = composeAttributeVerification({ settings: r.pool.settings, medium, code, username: r.user.username, custom });
  const message: OutboxMessage = {
    poolId: r.pool.id,
    username: r.user.username,
    medium,
    destination,
    sealedPayload: sealPayload(s.box, { from: senderAddress(r.pool.settings), ...composed, code }),
    createdAt: r.now,
  };
  return { target: { attribute, medium, destination }, record: { ...record, purpose }, message };
}
