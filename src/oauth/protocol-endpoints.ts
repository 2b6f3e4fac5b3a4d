/** @module The OAuth 2.0 / OIDC endpoints of a domain (OML §4, §6–§8, §11.1). */
import type { Services } from '../operations/services.ts';
import { authorizeEndpoint } from './authorize-endpoint.ts';
import { domainBaseUrl, poolDiscovery } from './discovery.ts';
import type { EndpointTable } from './endpoint.ts';
import { logoutEndpoint } from './logout-endpoint.ts';
import { sendNotFound } from './oauth-io.ts';
import { revokeEndpoint } from './revoke-endpoint.ts';
import { tokenEndpoint } from './token-endpoint.ts';
import { userInfoEndpoint } from './userinfo-endpoint.ts';

export function protocolEndpoints(s: Services): EndpointTable {
  const token = tokenEndpoint(s);
  const authorize = authorizeEndpoint(s);
  return {
    // Both paths work; /oauth2/authorize is the one AWS recommends (R-AUTHZ).
    '/oauth2/authorize': authorize,
    '/authorize': authorize,
    '/oauth2/token': (req, res, at) => token(req, res, at.domain),
    '/oauth2/userInfo': userInfoEndpoint(s),
    '/oauth2/revoke': revokeEndpoint(s),
    '/logout': logoutEndpoint(s),
    // Not documented on the domain, and harmless there (OML §11.1, I): the same document as the pool's.
    '/.well-known/openid-configuration': async (req, res, at) => {
      req.resume();
      if (req.method !== 'GET') return sendNotFound(res);
      const issuer = s.tokens.issuer(at.domain.poolId);
      const doc = poolDiscovery({ issuer, jwksUri: `${s.publicUrl.replace(/\/+$/u, '')}/${at.domain.poolId}/.well-known/jwks.json`, domainUrl: domainBaseUrl(s.publicUrl, at.domain) });
      const text = JSON.stringify(doc);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' });
      res.end(text);
    },
  };
}
