/**
 * @module GET and POST /oauth2/userInfo (OML §7): the user behind an OAuth access token that has
 * `openid`, with the attributes its scopes and the client's ReadAttributes allow, as strings, and
 * `username`. Errors carry AWS's `WWW-Authenticate` values exactly, without a `Bearer` scheme.
 */
import type { ServerResponse } from 'node:http';
import { viewPool } from '../domain/pool-view.ts';
import { attributesForScopes } from '../domain/tokens/oauth-claims.ts';
import { usernameKey } from '../domain/usernames.ts';
import { CognitoError } from '../domain/errors.ts';
import type { Services } from '../operations/services.ts';
import type { Endpoint } from './endpoint.ts';
import { answeredPreflight, sendMethodNotAllowed, sendOAuthJson } from './oauth-io.ts';

const BAD_REQUEST = { error: 'invalid_request', error_description: 'Bad OAuth2 request at UserInfo Endpoint' } as const;
const BAD_TOKEN = { error: 'invalid_token', error_description: 'Access token is expired, disabled, or deleted, or the user has globally signed out.' } as const;

function refuse(res: ServerResponse, status: 400 | 401, body: typeof BAD_REQUEST | typeof BAD_TOKEN): void {
  sendOAuthJson(res, status, body, { 'WWW-Authenticate': `error="${body.error}", error_description="${body.error_description}"` });
}

const BEARER = /^Bearer\s+(\S+)\s*$/iu;

export function userInfoEndpoint(s: Services): Endpoint {
  return async (req, res, at) => {
    if (answeredPreflight(req, res, 'GET, POST')) return;
    req.resume();
    if (req.method !== 'GET' && req.method !== 'POST') return sendMethodNotAllowed(res, 'GET, POST');
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return refuse(res, 400, BAD_REQUEST);
    const now = s.clock.now();
    let checked;
    try {
      // An API sign-in token has no `openid` and is refused here like any unusable token (OML §7, C).
      checked = await s.tokens.checkAccessToken(token, now, 'openid');
    } catch (error) {
      if (error instanceof CognitoError) return refuse(res, 401, BAD_TOKEN);
      throw error;
    }
    const { claims, poolId } = checked;
    // Another pool's token is no token of this domain's (OML §7: "wrong pool").
    if (poolId !== at.domain.poolId) return refuse(res, 401, BAD_TOKEN);
    const [pool, client] = await Promise.all([s.store.getUserPool(poolId), s.store.getClient(claims.client_id)]);
    const user = pool && (await s.store.getUser(pool.id, usernameKey(viewPool(pool), claims.username)));
    // A user deleted and made again under the name is someone else; a disabled one is "disabled".
    if (!pool || !user || user.sub !== claims.sub || !user.enabled) return refuse(res, 401, BAD_TOKEN);
    const readable = (client?.settings.ReadAttributes as string[] | undefined) ?? null;
    const attributes = attributesForScopes(user.attributes, claims.scope.split(' '), readable);
    const body: Record<string, string> = { sub: user.sub };
    for (const name of Object.keys(attributes).sort()) if (name !== 'sub' && !name.startsWith('dev:')) body[name] = String(attributes[name]);
    body.username = user.username;
    sendOAuthJson(res, 200, body);
  };
}
