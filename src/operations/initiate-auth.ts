/** @module InitiateAuth: the public start of every sign-in flow (sign-in spec §3, §5). */
import type { InitiateAuthRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterPublicSignIn, signInDeps } from './shared/sign-in/entry.ts';
import { startAuth } from './shared/sign-in/start-auth.ts';

export function initiateAuth(s: Services): OperationHandler {
  const deps = signInDeps(s);
  return async (raw, ctx) => {
    const input = raw as unknown as InitiateAuthRequest;
    const c = await enterPublicSignIn(s, input.ClientId, ctx, input.UserContextData);
    return { ...(await startAuth(deps, 'InitiateAuth', c, input)) };
  };
}
