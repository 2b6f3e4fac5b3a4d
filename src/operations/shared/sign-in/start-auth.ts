/**
 * @module InitiateAuth and AdminInitiateAuth in the order of sign-in spec §3.4: client, flow valid
 * for the operation, flow enabled on the client, required AuthParameters, SECRET_HASH, then the
 * flow itself. Both operations share it; only the entry checks differ.
 */
import { flowEnabled, flowValidOn, missingParameter, type AuthOperation } from '../../../domain/auth-flows.ts';
import { errors } from '../../../domain/messages.ts';
import { defaultExplicitAuthFlows, type PoolView } from '../../../domain/pool-view.ts';
import type { UserRecord } from '../../../domain/records.ts';
import { usernameKey } from '../../../domain/usernames.ts';
import type { ClientRecord } from '../../../domain/records.ts';
import type { SecretBox } from '../../../util/secret-box.ts';
import { checkSecretHash } from '../entry.ts';
import { takeSession } from './challenges.ts';
import { finishWithTokens, type SignInContext, type SignInResponse, type SignInServices } from './outcome.ts';
import { signInWithPassword, startSrp } from './password-proof.ts';
import { refreshSignIn } from './refresh.ts';
import { preferredFactor } from './user-auth.ts';

export interface StartAuthInput {
  AuthFlow: string;
  AuthParameters?: Record<string, string>;
  Session?: string;
  ClientMetadata?: Record<string, string>;
}

export interface StartAuthDeps extends SignInServices {
  resolveUser(pool: PoolView, login: string): Promise<UserRecord | undefined>;
}

/** SECRET_HASH over the name as sent or the user's username (an alias or sub may have been sent). */
export function checkAuthSecretHash(box: SecretBox, client: ClientRecord, usernames: readonly string[], provided: unknown): void {
  checkSecretHash({ box }, client, usernames, provided, { missing: errors.authSecretHashMissing, mismatch: errors.authSecretHashMismatch });
}

export async function startAuth(s: StartAuthDeps, operation: AuthOperation, entered: SignInContext & { poolView: PoolView }, input: StartAuthInput): Promise<SignInResponse> {
  const c = { ...entered, clientMetadata: input.ClientMetadata, answering: false };
  const flow = input.AuthFlow;
  if (!flowValidOn(flow, operation)) throw errors.authMethodNotSupported();
  const flows = (c.client.settings.ExplicitAuthFlows as string[] | undefined) ?? defaultExplicitAuthFlows;
  if (!flowEnabled(flow, flows)) throw operation === 'AdminInitiateAuth' ? errors.adminFlowNotEnabled() : errors.flowNotEnabled(flow);
  const params = input.AuthParameters ?? {};
  const missing = missingParameter(flow, params);
  if (missing) throw errors.missingAuthParameter(missing);

  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshSignIn(s, c, params.REFRESH_TOKEN!, (owner) => checkAuthSecretHash(s.box, c.client, [owner], params.SECRET_HASH));
  if (flow === 'CUSTOM_AUTH') throw errors.customAuthNotConfigured();

  const login = params.USERNAME!;
  const user = await s.resolveUser(c.poolView, login);
  checkAuthSecretHash(s.box, c.client, user ? [login, user.username] : [login], params.SECRET_HASH);
  const loginKey = user?.usernameKey ?? usernameKey(c.poolView, login);

  switch (flow) {
    case 'USER_PASSWORD_AUTH':
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      return signInWithPassword(s, c, user, params.PASSWORD!, login);
    case 'USER_SRP_AUTH':
      return startSrp(s, c, user, login, loginKey, params.SRP_A!);
    default:
      return userAuth(s, c, user, login, loginKey, params, input.Session);
  }
}

/**
 * USER_AUTH (§5.4, §5.5): with ConfirmSignUp's Session the confirmation code was the first factor
 * and tokens follow at once; otherwise the preferred factor, or the list to choose from.
 */
async function userAuth(
  s: StartAuthDeps,
  c: SignInContext & { poolView: PoolView },
  user: UserRecord | undefined,
  login: string,
  loginKey: string,
  params: Record<string, string>,
  session: string | undefined,
): Promise<SignInResponse> {
  if (session !== undefined) {
    const taken = await takeSession(s, session, c.pool.id, c.client.clientId, c.now);
    if (!user || taken.challenge !== 'CONFIRMED_SIGN_UP' || taken.usernameKey !== user.usernameKey) throw errors.sessionInvalid();
    if (!user.enabled) throw errors.userDisabled();
    return finishWithTokens(s, c, user);
  }
  return preferredFactor(s, c, user, login, loginKey, params);
}
