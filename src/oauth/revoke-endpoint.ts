/**
 * @module POST /oauth2/revoke (OML §8.1): a refresh token and every access token of its family stop
 * working, as with RevokeToken. Bad client credentials are 401 here (DG23), unlike the token
 * endpoint's 400; a token that is not valid, or already revoked, is still a 200 (RFC 7009).
 */
import { looksLikeRefreshToken, refreshPolicy, refreshTokenDigest } from '../domain/tokens/refresh-token.ts';
import type { Services } from '../operations/services.ts';
import { authenticateClient } from '../operations/shared/oauth/client-auth.ts';
import type { Endpoint } from './endpoint.ts';
import { answeredPreflight, basicCredentials, readForm, sendOAuthJson } from './oauth-io.ts';

/** Three base64url segments: a JWT, so an access or ID token, which this endpoint does not take. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u;

export function revokeEndpoint(s: Services): Endpoint {
  return async (req, res, at) => {
    if (answeredPreflight(req, res, 'POST')) return;
    if (req.method !== 'POST') {
      req.resume();
      return sendOAuthJson(res, 405, { error: 'invalid_request' }, { Allow: 'POST' });
    }
    const params = await readForm(req);
    const token = params?.get('token');
    if (!params || !token) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    const auth = await authenticateClient(s, { domain: at.domain, params, basic: basicCredentials(req.headers.authorization) }, false);
    if (!auth.ok) return sendOAuthJson(res, auth.error === 'invalid_client' ? 401 : 400, { error: auth.error });
    const { client } = auth;
    if (!refreshPolicy(client.settings).revocationEnabled) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    if (!looksLikeRefreshToken(token)) {
      if (JWT_SHAPE.test(token)) return sendOAuthJson(res, 400, { error: 'unsupported_token_type' });
      return sendRevoked(res);
    }
    const record = await s.store.getRefreshToken(refreshTokenDigest(s.box, token));
    // Another client's token is left alone, and the answer is the same as for garbage.
    if (record && record.clientId === client.clientId) await s.store.revokeFamily(record.poolId, record.originJti, s.clock.now());
    sendRevoked(res);
  };
}

/** HTTP 200 with an empty body (DG23). */
function sendRevoked(res: Parameters<Endpoint>[1]): void {
  res.writeHead(200, { 'Content-Length': 0, 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Access-Control-Allow-Origin': '*' });
  res.end();
}
