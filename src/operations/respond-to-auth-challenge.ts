/** @module RespondToAuthChallenge: the public answer to a challenge, by session. */
import type { RespondToAuthChallengeRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterPublicSignIn, signInDeps } from './shared/sign-in/entry.ts';
import { respondToChallenge } from './shared/sign-in/respond.ts';

export function respondToAuthChallenge(s: Services): OperationHandler {
  const deps = signInDeps(s);
  return async (raw, ctx) => {
    const input = raw as unknown as RespondToAuthChallengeRequest;
    const c = await enterPublicSignIn(s, input.ClientId, ctx, input.UserContextData);
    return { ...(await respondToChallenge(deps, c, input)) };
  };
}
