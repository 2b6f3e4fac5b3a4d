/**
 * @module ConfirmSignUp, in the order of spec §3: client, request rules, SecretHash, quota, user,
 * then one store transaction that counts the attempt, checks status and code, and confirms;
 * PostConfirmation runs after the commit (spec §6.2).
 */
import { codeMatches, standInCode } from '../domain/codes.ts';
import { judgeConfirmation } from '../domain/confirmation.ts';
import { errors } from '../domain/messages.ts';
import type { UserRecord } from '../domain/records.ts';
import { usernameKey } from '../domain/usernames.ts';
import type { ConfirmSignUpRequest } from '../model/generated/types.ts';
import { postConfirmationEvent } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { refusalError } from './shared/confirm-errors.ts';
import { enterForUser } from './shared/entry.ts';
import { newSession } from './shared/sessions.ts';

const HOUR_MS = 60 * 60 * 1000;

export function confirmSignUp(s: Pick<Services, 'store' | 'gate' | 'box' | 'triggers' | 'region'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ConfirmSignUpRequest;
    const { client, pool, poolView, clientView, user: found } = await enterForUser(s, input, ctx, input.UserContextData);
    if (!found && !clientView.preventUserExistenceErrors) throw errors.userNotFoundForClient();
    // With existence errors prevented, an unknown name goes through the same transaction, HMAC and
    // attempt limit as a known one, so neither its answer nor its timing tells the two apart.
    const user = found ?? standInUser(pool.id, input.Username, usernameKey(poolView, input.Username), ctx.now);

    const session = found && clientView.allowsUserAuth ? newSession(s.box, clientView, found, ctx.now) : undefined;
    const result = await s.store.confirmSignUp({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      standIn: found ? undefined : { user, code: standInCode(s.box, ctx.now) },
      now: ctx.now,
      windowStart: ctx.now - HOUR_MS,
      consumeCode: true,
      forceAliasCreation: input.ForceAliasCreation === true,
      session: session?.record,
      judge: (state) =>
        judgeConfirmation(
          {
            pool: poolView,
            limit: pool.limits.confirmAttemptsPerHour,
            now: ctx.now,
            codeMatches: ({ code }) => code !== undefined && codeMatches(s.box, pool.id, user.usernameKey, input.ConfirmationCode, code),
          },
          state,
        ),
    });
    if (result.kind === 'not-found') throw clientView.preventUserExistenceErrors ? errors.codeMismatch() : errors.userNotFoundForClient();
    if (result.kind === 'refused') throw refusalError(result.reason, result.user, clientView);
    if (!found) throw errors.codeMismatch();
    if (result.kind === 'alias-conflict') throw errors.aliasExists(result.attribute);

    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    await s.triggers.run(pool, 'PostConfirmation', postConfirmationEvent(origin, result.user, input.ClientMetadata));
    return session ? { Session: session.token } : {};
  };
}

function standInUser(poolId: string, username: string, key: string, now: number): UserRecord {
  return { poolId, username, usernameKey: key, sub: '', status: 'UNCONFIRMED', enabled: true, attributes: {}, passwordHash: null, createdAt: now, updatedAt: now };
}
