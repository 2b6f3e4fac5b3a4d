/**
 * @module GET /logout (OML §8.2): ends the browser session and clears the `cognito` cookie, then
 * either returns to a registered `logout_uri` (with `state`), or with `redirect_uri` and
 * `response_type` starts a new sign-in on /login with the same query. Tokens already issued stay
 * valid (revocation is /oauth2/revoke's job). Anything that cannot be trusted to a redirect gets
 * the error page itself, so the browser is sent nowhere.
 */
import type { Services } from '../operations/services.ts';
import { redirectWith } from './authorization.ts';
import { CLIENT_ID, redirectUriOf, responseTypeOf } from './authorize-checks.ts';
import { endBrowserSession } from './browser-session.ts';
import type { Endpoint } from './endpoint.ts';
import { sendMethodNotAllowed, sendRedirect } from './oauth-io.ts';
import { sendErrorPage } from './pages/error-page.ts';

export function logoutEndpoint(s: Services): Endpoint {
  return async (req, res, at) => {
    req.resume();
    if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET');
    const params = at.url.searchParams;
    const clientId = params.get('client_id') ?? '';
    const client = CLIENT_ID.test(clientId) ? await s.store.getClient(clientId) : undefined;
    if (!client || client.poolId !== at.domain.poolId) return sendErrorPage(res, at, { status: 400, code: 'invalid_request' });
    const logoutUri = params.get('logout_uri');
    const state = params.get('state') ?? undefined;
    if (logoutUri !== null) {
      // Compared exactly, as callback URLs are (OML §2).
      if (!((client.settings.LogoutURLs as string[] | undefined) ?? []).includes(logoutUri)) return sendErrorPage(res, at, { status: 400, code: 'redirect_mismatch' });
      const cleared = await endBrowserSession(s, req, at);
      return sendRedirect(res, state === undefined ? logoutUri : redirectWith(logoutUri, 'query', [['state', state]]), [cleared]);
    }
    const redirectUri = params.get('redirect_uri');
    if (redirectUri === null || responseTypeOf(params.get('response_type')) === undefined) return sendErrorPage(res, at, { status: 400, code: 'invalid_request' });
    if (redirectUriOf(client, redirectUri) === undefined) return sendErrorPage(res, at, { status: 400, code: 'redirect_mismatch' });
    const cleared = await endBrowserSession(s, req, at);
    sendRedirect(res, `${at.base}/login${at.url.search}`, [cleared]);
  };
}
