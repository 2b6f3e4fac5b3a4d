/** @module AdminInitiateAuth: sign-in started by a back end with IAM credentials, naming the pool and client. */
import type { AdminInitiateAuthRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterAdminSignIn, signInDeps } from './shared/sign-in/entry.ts';
import { startAuth } from './shared/sign-in/start-auth.ts';

export function adminInitiateAuth(s: Services): OperationHandler {
  const deps = signInDeps(s);
  return async (raw, ctx) => {
    const input = raw as unknown as AdminInitiateAuthRequest;
    const c = await enterAdminSignIn(s, input.UserPoolId, input.ClientId, ctx);
    return { ...(await startAuth(deps, 'AdminInitiateAuth', c, input)) };
  };
}
