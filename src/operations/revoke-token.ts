/**
 * @module RevokeToken: a refresh token and every access token minted from it (its family) stop
 * working on the API. An unknown token is no error (RFC 7009), so the call reveals nothing.
 */
import { errors } from '../domain/messages.ts';
import { looksLikeRefreshToken, refreshTokenDigest } from '../domain/tokens/refresh-token.ts';
import type { RevokeTokenRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { clientSecretMatches, enterPublicSignIn } from './shared/sign-in/entry.ts';

export function revokeToken(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as RevokeTokenRequest;
    const c = await enterPublicSignIn(s, input.ClientId, ctx);
    if (!clientSecretMatches(s.box, c.client, input.ClientSecret)) throw errors.revokeUnauthorized();
    // New clients have revocation on; only an explicit false turns it off (spec §10.6).
    if (c.client.settings.EnableTokenRevocation === false) throw errors.revocationDisabled();
    if (!looksLikeRefreshToken(input.Token)) throw errors.unsupportedTokenType();
    const record = await s.store.getRefreshToken(refreshTokenDigest(s.box, input.Token));
    if (record && record.clientId === c.client.clientId) await s.store.revokeFamily(record.poolId, record.originJti, ctx.now);
    return {};
  };
}
