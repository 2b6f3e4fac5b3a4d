/**
 * @module AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password, an invitation
 * through the outbox unless suppressed, and the PreSignUp_AdminCreateUser trigger.
 */
import { randomInt } from 'node:crypto';
import { sealPayload } from '../delivery/payload.ts';
import { senderAddress } from '../delivery/sender-address.ts';
import { errors } from '../domain/messages.ts';
import { checkPassword } from '../domain/password-policy.ts';
import type { AliasClaim, OutboxMessage, PoolRecord, UserRecord } from '../domain/records.ts';
import { aliasKey, checkSignUpUsername, looksLikeEmail, usernameKey } from '../domain/usernames.ts';
import type { AdminCreateUserRequest } from '../model/generated/types.ts';
import { customMessageReplacement, type CustomReplacement } from '../triggers/custom-message.ts';
import { CLIENT_ID_NOT_APPLICABLE, customMessageEvent, preSignUpEvent, type EventOrigin } from '../triggers/events.ts';
import { newSub } from '../util/ids.ts';
import { newCredentials } from './shared/sign-in/credentials.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { attributeMap, checkUserAttributes } from './shared/attributes.ts';
import { userShape } from './shared/shapes.ts';

const DEFAULT_INVITE_SMS = 'Your username is {username} and temporary password is {####}. ';
const DEFAULT_INVITE_EMAIL = 'Your username is {username} and temporary password is {####}. ';
const DEFAULT_INVITE_SUBJECT = 'Your temporary password';

export function adminCreateUser(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminCreateUserRequest;
    const { pool, poolView } = await loadPool(s, input.UserPoolId, ctx);
    checkSignUpUsername(poolView, input.Username);
    const attributes = attributeMap(input.UserAttributes);
    checkUserAttributes(pool, attributes);
    if (input.TemporaryPassword !== undefined) checkPassword(poolView.passwordPolicy, input.TemporaryPassword, 'admin');

    const sub = newSub();
    const aliases: AliasClaim[] = [];
    if (poolView.usernameAttributes.length > 0) {
      const attribute = looksLikeEmail(input.Username) ? 'email' : 'phone_number';
      attributes[attribute] = input.Username;
      aliases.push({ attribute, valueKey: aliasKey(poolView, attribute, input.Username) });
    }
    const username = poolView.usernameAttributes.length > 0 ? sub : input.Username;
    const key = usernameKey(poolView, username);
    const existing = await s.store.findUser(pool.id, { usernameKey: key, aliases, sub: '' });
    const origin = { region: s.region, pool: poolView, clientId: CLIENT_ID_NOT_APPLICABLE, userAgent: ctx.userAgent };
    if (input.MessageAction === 'RESEND') {
      if (!existing) throw errors.userNotFound();
      return { User: userShape(await reinvite(s, pool, existing, input, origin, ctx.now)) };
    }
    if (existing) throw errors.accountExists();

    const user: UserRecord = {
      poolId: pool.id, username, usernameKey: key, sub, status: 'FORCE_CHANGE_PASSWORD', enabled: true,
      attributes, passwordHash: null, createdAt: ctx.now, updatedAt: ctx.now,
    };
    const validationData = input.ValidationData ? attributeMap(input.ValidationData) : null;
    // The PreSignUp flags are ignored for admin-created users (spec §6.3); a thrown error still rejects.
    await s.triggers.run(pool, 'PreSignUp', preSignUpEvent(origin, 'PreSignUp_AdminCreateUser', user, validationData, input.ClientMetadata));

    const temporary = input.TemporaryPassword ?? temporaryPassword();
    const credentials = await newCredentials(s, pool.id, user.username, temporary);
    user.passwordHash = credentials.passwordHash;
    const messages = input.MessageAction === 'SUPPRESS' ? [] : await invite(s, pool, user, input, origin, temporary, ctx.now);
    const result = await s.store.insertUser({ user, srp: credentials.srp, passwordSetAt: ctx.now, aliases, messages });
    if (result.kind === 'pool-not-found') throw errors.poolNotFound(pool.id);
    if (result.kind !== 'created') throw errors.accountExists();
    if (messages.length > 0) s.wakeOutbox();
    return { User: userShape(user) };
  };
}

/** The invitation messages; CustomMessage_AdminCreateUser may replace their texts (spec §6.4). */
async function invite(
  s: Services, pool: PoolRecord, user: UserRecord, input: AdminCreateUserRequest, origin: EventOrigin, temporary: string, now: number,
): Promise<OutboxMessage[]> {
  const response = await s.triggers.run(pool, 'CustomMessage', customMessageEvent(origin, 'CustomMessage_AdminCreateUser', user, input.ClientMetadata));
  const custom = response && customMessageReplacement(pool.settings, response, { invitation: true });
  return invitations(s, pool.settings, user, input.DesiredDeliveryMediums, temporary, now, custom);
}

/**
 * MessageAction RESEND: a user still waiting on the first sign-in gets a new temporary password
 * (so the old one stops working and the validity starts again) and the invitation once more.
 */
async function reinvite(s: Services, pool: PoolRecord, user: UserRecord, input: AdminCreateUserRequest, origin: EventOrigin, now: number): Promise<UserRecord> {
  // Checked before the costly hash and the trigger; the store checks again under its lock.
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw errors.cannotReinvite(user.username, user.status);
  const temporary = input.TemporaryPassword ?? temporaryPassword();
  const { passwordHash, srp } = await newCredentials(s, pool.id, user.username, temporary);
  const messages = await invite(s, pool, user, input, origin, temporary, now);
  const result = await s.store.reinviteUser({ poolId: pool.id, usernameKey: user.usernameKey, now, passwordHash, srp, passwordSetAt: now, messages });
  if (result.kind === 'not-found') throw errors.userNotFound();
  if (result.kind === 'not-invited') throw errors.cannotReinvite(result.user.username, result.user.status);
  if (messages.length > 0) s.wakeOutbox();
  return result.user;
}

function invitations(
  s: Pick<Services, 'box'>,
  settings: Record<string, unknown>,
  user: UserRecord,
  mediums: readonly string[] | undefined,
  temporary: string,
  now: number,
  custom: CustomReplacement | undefined,
): OutboxMessage[] {
  const template = ((settings.AdminCreateUserConfig as { InviteMessageTemplate?: Record<string, string> } | undefined)?.InviteMessageTemplate ?? {});
  const fill = (text: string) => text.replaceAll('{username}', user.username).replaceAll('{####}', temporary);
  const out: OutboxMessage[] = [];
  for (const medium of mediums ?? ['SMS']) {
    const destination = medium === 'EMAIL' ? user.attributes.email : user.attributes.phone_number;
    if (!destination) continue;
    const subject = medium === 'EMAIL' ? fill(custom?.emailSubject ?? template.EmailSubject ?? DEFAULT_INVITE_SUBJECT) : '';
    const body = fill(
      medium === 'EMAIL' ? (custom?.emailMessage ?? template.EmailMessage ?? DEFAULT_INVITE_EMAIL) : (custom?.smsMessage ?? template.SMSMessage ?? DEFAULT_INVITE_SMS),
    );
    out.push({
      poolId: user.poolId,
      username: user.username,
      medium: medium === 'EMAIL' ? 'EMAIL' : 'SMS',
      destination,
      sealedPayload: sealPayload(s.box, { from: senderAddress(settings), subject, body, code: null }),
      createdAt: now,
    });
  }
  return out;
}

/** Meets the default policy: upper, lower, digit, symbol, and length well over the minimum. */
function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '^$*.[]{}()?!@#%&'];
  const chars = sets.map((set) => set[randomInt(set.length)]);
  const all = sets.join('');
  while (chars.length < 12) chars.push(all[randomInt(all.length)]);
  return chars.join('');
}
