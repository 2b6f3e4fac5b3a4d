/**
 * @module The hosted sign-in (OML §5.1) through the API's own sign-in code: the user found by
 * username, alias or sub, the §4 user states, lockout, PreAuthentication, the password, the counted
 * failure, PreventUserExistenceErrors, then PostAuthentication. It mints no tokens: the grant is an
 * authorization code the token endpoint redeems. The one difference from the API is that an
 * UNCONFIRMED user's password is judged, since a right one leads to the confirmation page.
 */
import { errors } from '../../domain/messages.ts';
import { viewClient, viewPool, type PoolView } from '../../domain/pool-view.ts';
import type { UserRecord } from '../../domain/records.ts';
import type { CallContext } from '../../operations/context.ts';
import type { Services } from '../../operations/services.ts';
import { resolveUser } from '../../operations/shared/entry.ts';
import { peekSession, takeSession } from '../../operations/shared/sign-in/challenges.ts';
import { signInDeps } from '../../operations/shared/sign-in/entry.ts';
import { afterPassword, finishWithoutTokens, requiredAttributes, type SignInContext } from '../../operations/shared/sign-in/outcome.ts';
import { provePassword } from '../../operations/shared/sign-in/password-proof.ts';
import { checkNewPassword, completeNewPassword } from '../../operations/shared/sign-in/respond.ts';
import type { AuthorizeRequest } from '../authorization.ts';

export type HostedSignIn =
  | { kind: 'signed-in'; user: UserRecord }
  /** The password was right; the account waits for its confirmation code. */
  | { kind: 'unconfirmed'; user: UserRecord }
  /** A temporary password: the challenge session the change-password form answers. */
  | { kind: 'new-password'; session: string };

/** The gate runs as for InitiateAuth: the pool's request rules, then the caller's rate. */
function enter(s: Services, request: AuthorizeRequest, ctx: CallContext): SignInContext & { poolView: PoolView } {
  s.gate.checkRules(request.pool.id, 'InitiateAuth', ctx.sourceIp);
  s.gate.checkRate('InitiateAuth', ctx.now, ctx.sourceIp);
  return { pool: request.pool, poolView: viewPool(request.pool), client: request.client, clientView: viewClient(request.client), now: ctx.now, userAgent: ctx.userAgent };
}

export async function hostedSignIn(s: Services, request: AuthorizeRequest, login: string, password: string, ctx: CallContext): Promise<HostedSignIn> {
  const c = enter(s, request, ctx);
  const deps = signInDeps(s);
  const user = await resolveUser(s, c.poolView, login);
  const proved = await provePassword(deps, c, user, password, login, true);
  if (proved.user.status === 'UNCONFIRMED') return { kind: 'unconfirmed', user: proved.user };
  const next = await afterPassword(deps, c, proved.user, proved.credentials, finishWithoutTokens);
  if ('ChallengeName' in next) return { kind: 'new-password', session: next.Session };
  return { kind: 'signed-in', user: next };
}

/** The required attributes a temporary-password user still has to fill in, read from the waiting session (which stays). */
export async function pendingNewPassword(s: Services, request: AuthorizeRequest, session: string, now: number): Promise<{ user: UserRecord; missing: string[] }> {
  const waiting = await peekSession(s, session, request.pool.id, request.client.clientId, now);
  const user = waiting.challenge === 'NEW_PASSWORD_REQUIRED' ? await s.store.getUser(request.pool.id, waiting.usernameKey) : undefined;
  if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') throw errors.sessionInvalid();
  return { user, missing: requiredAttributes(request.pool).filter((name) => !user.attributes[name]) };
}

/**
 * The change-password form's answer, as RespondToAuthChallenge's NEW_PASSWORD_REQUIRED: the policy,
 * the history and the required attributes are checked while the session stays, so a mistake can
 * be corrected; then the session is used up and the password set.
 */
export async function hostedNewPassword(
  s: Services,
  request: AuthorizeRequest,
  session: string,
  newPassword: string,
  attributes: Readonly<Record<string, string>>,
  ctx: CallContext,
): Promise<UserRecord> {
  const c = enter(s, request, ctx);
  const deps = signInDeps(s);
  await checkNewPassword(deps, c, session, newPassword);
  const { missing } = await pendingNewPassword(s, request, session, ctx.now);
  for (const name of missing) if (!attributes[name]) throw errors.requiredAttributeMissing(name);

  const taken = await takeSession(deps, session, request.pool.id, request.client.clientId, ctx.now);
  const user = taken.challenge === 'NEW_PASSWORD_REQUIRED' ? await s.store.getUser(request.pool.id, taken.usernameKey) : undefined;
  if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') throw errors.sessionInvalid();
  const responses: Record<string, string> = { NEW_PASSWORD: newPassword };
  for (const [name, value] of Object.entries(attributes)) if (value !== '') responses[`userAttributes.${name}`] = value;
  return (await completeNewPassword(deps, c, user, responses, false)).user;
}

/**
 * A user who just confirmed (or was auto-confirmed) on the sign-up pages is signed in without a
 * password step (OML §5.2): PostAuthentication runs and the lockout count resets as for /login.
 */
export async function hostedSignInConfirmed(s: Services, request: AuthorizeRequest, login: string, ctx: CallContext): Promise<UserRecord> {
  const c = enter(s, request, ctx);
  const user = await resolveUser(s, c.poolView, login);
  if (!user) throw errors.userNotFound();
  if (!user.enabled) throw errors.userDisabled();
  return finishWithoutTokens(signInDeps(s), c, user);
}
