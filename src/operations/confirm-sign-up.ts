/**
 * @module ConfirmSignUp, in the order of spec §3: client, request rules, SecretHash, quota, user,
 * then one store transaction that counts the attempt, checks status and code, and confirms;
 * PostConfirmation runs after the commit (spec §6.2).
 */
import { codeMatches } from '../domain/codes.ts';
import { judgeConfirmation } from '../domain/confirmation.ts';
import { errors } from '../domain/messages.ts';
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
    const { client, pool, poolView, clientView, user } = await enterForUser(s, input, ctx, input.UserContextData);
    if (!user) throw clientView.preventUserExistenceErrors ? errors.codeMismatch() : errors.userNotFoundForClient();

    const session = clientView.allowsUserAuth ? newSession(s.box, clientView, user, ctx.now) : undefined;
    const result = await s.store.confirmSignUp({
      poolId: pool.id,
      usernameKey: user.usernameKey,
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
    if (result.kind === 'alias-conflict') throw errors.aliasExists(result.attribute);

    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    await s.triggers.run(pool, 'PostConfirmation', postConfirmationEvent(origin, result.user, input.ClientMetadata));
    return session ? { Session: session.token } : {};
  };
}
