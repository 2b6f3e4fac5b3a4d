/**
 * @module GET and POST /forgotPassword and /confirmforgotPassword (OML §5.3), through the
 * ForgotPassword and ConfirmForgotPassword operations themselves (recovery channel, limits,
 * PreventUserExistenceErrors, password policy and history, PostConfirmation). Success ends on
 * /login: the user signs in again with the new password, no automatic sign-in.
 */
import { confirmForgotPassword } from '../../operations/confirm-forgot-password.ts';
import { forgotPassword } from '../../operations/forgot-password.ts';
import type { Services } from '../../operations/services.ts';
import type { Endpoint } from '../endpoint.ts';
import { alert, field, form } from './fields.ts';
import { html } from '../../web/html.ts';
import { PASSWORDS_DIFFER } from './new-password-page.ts';
import { formPage } from './form-page.ts';
import { callContext, formValue, pageLocation, pagePath, refusalText, runOperation, secretHashInput } from './page-context.ts';
import { sendRedirect } from './page-io.ts';
import { renderPage, type PageState } from './page-render.ts';

function renderForgot(p: PageState, status: number, input: { username?: string; error?: string } = {}): void {
  renderPage(p, status, 'Forgot your password?', (csrf) => html`<h1>Forgot your password?</h1>
<p class="note">Enter your username below and we will send a message to reset your password.</p>
${alert(input.error)}${form(pagePath(p.at, '/forgotPassword', p.request.params), csrf, [
    field({ name: 'username', label: 'Username', autocomplete: 'username', value: input.username, invalid: input.error !== undefined }),
  ], 'Reset my password')}<ul class="links">
<li><a href="${pagePath(p.at, '/login', p.request.params)}">Back to sign in</a></li>
</ul>
`);
}

function renderConfirmForgot(p: PageState, status: number, username: string, error?: { message: string; field: string }): void {
  const on = (name: string) => error?.field === name;
  renderPage(p, status, 'Change password', (csrf) => html`<h1>Change password</h1>
<p>We have sent a password reset code. Enter it below to set a new password.</p>
${alert(error?.message)}${form(pagePath(p.at, '/confirmforgotPassword', p.request.params, { username }), csrf, [
    field({ name: 'code', label: 'Code', autocomplete: 'one-time-code', inputmode: 'numeric', invalid: on('code') }),
    field({ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', invalid: on('password') }),
    field({ name: 'confirm_password', label: 'Enter new password again', type: 'password', autocomplete: 'new-password', invalid: on('confirm_password') }),
  ], 'Change password')}`);
}

const usernameOf = (p: PageState) => (p.at.url.searchParams.get('username') ?? '').trim();

export function forgotPasswordEndpoint(s: Services): Endpoint {
  const operation = forgotPassword(s);
  return formPage(s, { show: (p) => renderForgot(p, 200), submit: async (p, body) => {
    const username = formValue(body, 'username');
    try {
      await runOperation(operation, { ClientId: p.request.client.clientId, Username: username, ...secretHashInput(s, p.request.client, username) }, callContext(s, p.req, p.at, 'ForgotPassword'));
      sendRedirect(p.res, pageLocation(p.at, '/confirmforgotPassword', p.request.params, { username }));
    } catch (error) {
      renderForgot(p, 200, { username, error: refusalText(error).message });
    }
  } });
}

export function confirmForgotPasswordEndpoint(s: Services): Endpoint {
  const operation = confirmForgotPassword(s);
  return formPage(s, { show: (p) => renderConfirmForgot(p, 200, usernameOf(p)), submit: async (p, body) => {
    const username = usernameOf(p);
    const password = formValue(body, 'password', false);
    if (password !== formValue(body, 'confirm_password', false)) return renderConfirmForgot(p, 200, username, { message: PASSWORDS_DIFFER, field: 'confirm_password' });
    try {
      await runOperation(
        operation,
        { ClientId: p.request.client.clientId, Username: username, ConfirmationCode: formValue(body, 'code'), Password: password, ...secretHashInput(s, p.request.client, username) },
        callContext(s, p.req, p.at, 'ConfirmForgotPassword'),
      );
      sendRedirect(p.res, pageLocation(p.at, '/login', p.request.params));
    } catch (error) {
      const message = refusalText(error).message;
      renderConfirmForgot(p, 200, username, { message, field: /password/iu.test(message) ? 'password' : 'code' });
    }
  } });
}
