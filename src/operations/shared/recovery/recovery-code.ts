/**
 * @module A new password-reset code and the message that carries it: the channel, the CustomMessage
 * trigger (CustomMessage_ForgotPassword, for ForgotPassword and AdminResetUserPassword alike), the
 * code template and the sealed outbox entry.
 */
import { issueAccountCode, type AccountCodeRecord } from '../../../domain/account-codes.ts';
import { codeDeliveryDetails, type DeliveryTarget } from '../../../domain/delivery-details.ts';
import type { OutboxMessage, PoolRecord, UserRecord } from '../../../domain/records.ts';
import { composeRecovery } from '../../../delivery/compose.ts';
import { sealPayload } from '../../../delivery/payload.ts';
import { senderAddress } from '../../../delivery/sender-address.ts';
import { customMessageReplacement } from '../../../triggers/custom-message.ts';
import { customMessageEvent, type EventOrigin } from '../../../triggers/events.ts';
import type { IssueRecoveryResult } from '../../../store/account-store.ts';
import type { Services } from '../../services.ts';
import { ISSUE_LIMIT, judgeIssue, RECOVERY_WINDOW_MS } from './rules.ts';

export interface RecoveryCode {
  code: AccountCodeRecord;
  message: OutboxMessage;
  details: ReturnType<typeof codeDeliveryDetails>;
}

export async function prepareRecoveryCode(
  s: Pick<Services, 'box' | 'triggers'>,
  r: {
    pool: PoolRecord;
    origin: EventOrigin;
    user: Pick<UserRecord, 'username' | 'usernameKey' | 'sub' | 'status' | 'attributes'>;
    target: DeliveryTarget;
    clientMetadata?: Record<string, string>;
    now: number;
  },
): Promise<RecoveryCode> {
  const { code, record } = issueAccountCode(s.box, r.pool.id, r.user.usernameKey, 'forgot_password', r.target.attribute, r.now);
  const response = await s.triggers.run(r.pool, 'CustomMessage', customMessageEvent(r.origin, 'CustomMessage_ForgotPassword', r.user, r.clientMetadata));
  const custom = response && customMessageReplacement(r.pool.settings, response, { recovery: true });
  const composed = composeRecovery({ settings: r.pool.settings, medium: r.target.medium, code, username: r.user.username, custom });
  const message: OutboxMessage = {
    poolId: r.pool.id,
    username: r.user.username,
    medium: r.target.medium,
    destination: r.target.destination,
    sealedPayload: sealPayload(s.box, { from: senderAddress(r.pool.settings), ...composed, code }),
    createdAt: r.now,
  };
  return { code: record, message, details: codeDeliveryDetails(r.target) };
}

export interface RecoveryCodeRequest {
  pool: PoolRecord;
  origin: EventOrigin;
  user: UserRecord;
  target: DeliveryTarget;
  clientMetadata?: Record<string, string>;
  now: number;
  /** AdminResetUserPassword: the user is also put in RESET_REQUIRED, and judged as an admin call. */
  admin: boolean;
}

/** Composes the code's message, then stores the code, queues the message and counts the request in one transaction. */
export async function sendRecoveryCode(s: Pick<Services, 'box' | 'triggers' | 'store'>, r: RecoveryCodeRequest): Promise<{ result: IssueRecoveryResult; details: RecoveryCode['details'] }> {
  const prepared = await prepareRecoveryCode(s, r);
  const result = await s.store.issueRecoveryCode({
    poolId: r.pool.id,
    usernameKey: r.user.usernameKey,
    now: r.now,
    windowStart: r.now - RECOVERY_WINDOW_MS,
    limit: ISSUE_LIMIT,
    judge: (locked) => judgeIssue(locked, { admin: r.admin }),
    code: prepared.code,
    messages: [prepared.message],
    requireReset: r.admin,
    countUnknown: false,
  });
  return { result, details: prepared.details };
}
