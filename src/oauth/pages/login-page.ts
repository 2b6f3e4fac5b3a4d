/**
 * @module GET and POST /login (OML §5.1): the sign-in form, then the hosted sign-in. Success → the
 * grant's 302; wrong credentials → the form again (200) with the operation's own message; a right
 * password of an UNCONFIRMED user → a fresh code and /confirm; a temporary password → the
 * change-password form, whose answer also posts here (it carries the challenge session).
 */
import { viewPool } from '../../domain/pool-view.ts';
import type { Services } from '../../operations/services.ts';
import { resendConfirmationCode } from '../../operations/resend-confirmation-code.ts';
import type { Endpoint } from '../endpoint.ts';
import { alert, field, form, hidden } from './fields.ts';
import { displayName, sessionUser } from './continue-session.ts';
import { grantAndRedirect } from './grant.ts';
import { hostedSignIn } from './hosted-sign-in.ts';
import { html } from '../../web/html.ts';
import { newPasswordAnswer, renderNewPassword } from './new-password-page.ts';
import { formPage } from './form-page.ts';
import { callContext, formValue, pageLocation, pagePath, refusalText, runOperation, secretHashInput } from './page-context.ts';
import { sendRedirect } from './page-io.ts';
import { renderPage, type PageState } from './page-render.ts';

export const SESSION_ENDED = 'Your session has expired. Please sign in again.';

export async function renderLogin(p: PageState, status: number, input: { username?: string; error?: string } = {}): Promise<void> {
  const params = p.request.params;
  // Hidden when AllowAdminCreateUserOnly (OML §5.1).
  const signUp = viewPool(p.request.pool).selfSignUpAllowed;
  const invalid = input.error !== undefined;
  const live = await sessionUser(p.s, p.req, p.at, p.request);
  renderPage(p, status, 'Sign in', (csrf) => html`<h1>Sign in</h1>
${live ? form(pagePath(p.at, '/login', params), csrf, [hidden('continue', '1')], `Continue as ${displayName(live.user, p.request.pool)}`) : ''}<p class="note">Sign in with your username and password</p>
${alert(input.error)}${form(pagePath(p.at, '/login', params), csrf, [
    field({ name: 'username', label: 'Username', autocomplete: 'username', value: input.username, invalid }),
    field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', invalid }),
  ], 'Sign in')}<ul class="links">
<li><a href="${pagePath(p.at, '/forgotPassword', params)}">Forgot your password?</a></li>
${signUp ? html`<li>Need an account? <a href="${pagePath(p.at, '/signup', params)}">Sign up</a></li>\n` : ''}</ul>
`);
}

export function loginEndpoint(s: Services): Endpoint {
  const resend = resendConfirmationCode(s);
  return formPage(s, {
    show: (p) => renderLogin(p, 200),
    submit: async (p, body) => {
      const { req, res, at, request } = p;
    if (body.has('session')) return newPasswordAnswer(p, body);
    if (body.has('continue')) {
      const live = await sessionUser(s, req, at, request);
      if (live) return grantAndRedirect(s, res, at, request, live.user, live.authTime);
      return renderLogin(p, 200, { error: SESSION_ENDED });
    }

    const username = formValue(body, 'username');
    const ctx = callContext(s, req, at, 'InitiateAuth');
    try {
      const outcome = await hostedSignIn(s, request, username, formValue(body, 'password', false), ctx);
      if (outcome.kind === 'signed-in') return await grantAndRedirect(s, res, at, request, outcome.user, ctx.now);
      if (outcome.kind === 'new-password') return await renderNewPassword(p, outcome.session, 200);
      // A fresh code, through ResendConfirmationCode itself (limits, CustomMessage, the outbox).
      await runOperation(resend, { ClientId: request.client.clientId, Username: username, ...secretHashInput(s, request.client, username) }, { ...ctx, operation: 'ResendConfirmationCode' });
      sendRedirect(res, pageLocation(at, '/confirm', request.params, { username }));
    } catch (error) {
      await renderLogin(p, 200, { username, error: refusalText(error).message });
    }
    },
  });
}
