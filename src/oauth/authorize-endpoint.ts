/**
 * @module GET /oauth2/authorize and its alias /authorize (OML §4): the checks of authorization.ts,
 * then a live browser session grants at once (SSO, R-SSO) unless `prompt=login`; `prompt=none`
 * without one is `login_required`; otherwise the browser goes to /login with the query unchanged.
 */
import type { Services } from '../operations/services.ts';
import { errorRedirect, checkAuthorizeRequest, grantLocation } from './authorization.ts';
import { promptsOf } from './authorize-checks.ts';
import { readBrowserSession } from './browser-session.ts';
import type { Endpoint } from './endpoint.ts';
import { sendMethodNotAllowed, sendRedirect } from './oauth-io.ts';

export function authorizeEndpoint(s: Services): Endpoint {
  return async (req, res, at) => {
    req.resume();
    // Step 1: "only supports HTTPS GET" (DG23).
    if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET');
    const check = await checkAuthorizeRequest(s, at, at.url.searchParams);
    if (!check.ok) return sendRedirect(res, check.location);
    const { request } = check;
    const prompts = promptsOf(request.prompt);
    // Step 6: the session is the pool's, so any client of the pool may use it.
    const session = prompts.has('login') ? undefined : await readBrowserSession(s, req, at);
    const user = session && (await s.store.getUser(request.pool.id, session.usernameKey));
    if (user && user.enabled && user.status === 'CONFIRMED') return sendRedirect(res, await grantLocation(s, request, user, session!.authTime));
    // Step 7.
    if (prompts.has('none')) return sendRedirect(res, errorRedirect(request.redirectUri, request.responseType, 'login_required', request.state));
    sendRedirect(res, `${at.base}/login${at.url.search}`);
  };
}
