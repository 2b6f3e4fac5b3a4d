/**
 * @module GetTokensFromRefreshToken: how Amplify v6 refreshes every session (sign-in spec §5.5, §11).
 * The client proves itself with its raw secret, not a hash; new ID and access tokens keep the
 * refresh token's family, and a client with RefreshTokenRotation enabled gets a new refresh token.
 */
import { flowEnabled } from '../domain/auth-flows.ts';
import { errors } from '../domain/messages.ts';
import { defaultExplicitAuthFlows } from '../domain/pool-view.ts';
import type { GetTokensFromRefreshTokenRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { clientSecretMatches, enterPublicSignIn, signInDeps } from './shared/sign-in/entry.ts';
import { refreshSignIn } from './shared/sign-in/refresh.ts';

export function getTokensFromRefreshToken(s: Services): OperationHandler {
  const deps = signInDeps(s);
  return async (raw, ctx) => {
    const input = raw as unknown as GetTokensFromRefreshTokenRequest;
    const c = await enterPublicSignIn(s, input.ClientId, ctx);
    if (!clientSecretMatches(s.box, c.client, input.ClientSecret)) throw errors.clientSecretMismatch(c.client.clientId);
    if (!flowEnabled('REFRESH_TOKEN_AUTH', (c.client.settings.ExplicitAuthFlows as string[] | undefined) ?? defaultExplicitAuthFlows)) {
      throw errors.flowNotEnabled('REFRESH_TOKEN_AUTH');
    }
    // With RefreshTokenRotation enabled the result carries a new refresh token (spec §10.7); no SECRET_HASH to check here.
    const context = { ...c, clientMetadata: input.ClientMetadata, userAgent: ctx.userAgent, answering: true };
    const { AuthenticationResult } = await refreshSignIn(deps, context, input.RefreshToken, () => {}, 'GetTokensFromRefreshToken');
    return { AuthenticationResult };
  };
}
