/**
 * @module A new confirmation code and the message that carries it: destination (spec §7.1), the
 * CustomMessage trigger (spec §6.4), the template, and the sealed outbox entry.
 */
import { issueCode } from '../../domain/codes.ts';
import { chooseDeliveryTarget, codeDeliveryDetails } from '../../domain/delivery-details.ts';
import type { PoolView } from '../../domain/pool-view.ts';
import type { CodeRecord, OutboxMessage, PoolRecord, UserRecord } from '../../domain/records.ts';
import { composeVerification } from '../../delivery/compose.ts';
import { sealPayload } from '../../delivery/payload.ts';
import { senderAddress } from '../../delivery/sender-address.ts';
import { customMessageReplacement } from '../../triggers/custom-message.ts';
import { customMessageEvent, type EventOrigin } from '../../triggers/events.ts';
import type { Services } from '../services.ts';

export interface Verification {
  code: CodeRecord;
  message: OutboxMessage;
  details: ReturnType<typeof codeDeliveryDetails>;
}

export interface VerificationRequest {
  pool: PoolRecord;
  poolView: PoolView;
  origin: EventOrigin;
  clientId: string;
  user: Pick<UserRecord, 'username' | 'usernameKey' | 'sub' | 'status' | 'attributes'>;
  source: 'CustomMessage_SignUp' | 'CustomMessage_ResendCode';
  clientMetadata?: Record<string, string>;
  now: number;
}

export async function prepareVerification(
  s: Pick<Services, 'box' | 'triggers' | 'publicUrl'>,
  r: VerificationRequest,
): Promise<Verification | undefined> {
  const target = chooseDeliveryTarget(r.poolView.autoVerified, r.user.attributes);
  if (!target) return undefined;
  const { code, record } = issueCode(s.box, r.pool.id, r.user.usernameKey, target.attribute, r.now);
  const response = await s.triggers.run(r.pool, 'CustomMessage', customMessageEvent(r.origin, r.source, r.user, r.clientMetadata));
  const custom = response && customMessageReplacement(r.pool.settings, response);
  const composed = composeVerification({
    settings: r.pool.settings,
    medium: target.medium,
    code,
    username: r.user.username,
    clientId: r.clientId,
    publicUrl: s.publicUrl,
    custom,
  });
  const message: OutboxMessage = {
    poolId: r.pool.id,
    username: r.user.username,
    medium: target.medium,
    destination: target.destination,
    sealedPayload: sealPayload(s.box, { from: senderAddress(r.pool.settings), ...composed, code }),
    createdAt: r.now,
  };
  return { code: record, message, details: codeDeliveryDetails(target) };
}
