/** @module AdminRespondToAuthChallenge: a back end's answer to a challenge, naming the pool and client. */
import type { AdminRespondToAuthChallengeRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterAdminSignIn, signInDeps } from './shared/sign-in/entry.ts';
import { respondToChallenge } from './shared/sign-in/respond.ts';

export function adminRespondToAuthChallenge(s: Services): OperationHandler {
  const deps = signInDeps(s);
  return async (raw, ctx) => {
    const input = raw as unknown as AdminRespondToAuthChallengeRequest;
    const c = await enterAdminSignIn(s, input.UserPoolId, input.ClientId, ctx);
    return { ...(await respondToChallenge(deps, c, input)) };
  };
}
