/**
 * @module The "Change password" form after a temporary password (OML §5.1, FORCE_CHANGE_PASSWORD):
 * the new password twice and the required attributes the account still lacks. It posts to /login
 * with the challenge session in a hidden field; success signs the user in.
 */
import { errors } from '../../domain/messages.ts';
import { attributeField } from './attribute-fields.ts';
import { alert, field, form, hidden } from './fields.ts';
import { grantAndRedirect } from './grant.ts';
import { hostedNewPassword, pendingNewPassword } from './hosted-sign-in.ts';
import { html } from '../../web/html.ts';
import { renderLogin } from './login-page.ts';
import { callContext, formValue, pagePath, refusalText } from './page-context.ts';
import { renderPage, type PageState } from './page-render.ts';

export const PASSWORDS_DIFFER = 'Passwords do not match.';

export async function renderNewPassword(p: PageState, session: string, status: number, input: { error?: string; errorField?: string; values?: Record<string, string> } = {}): Promise<void> {
  let missing: string[];
  try {
    missing = (await pendingNewPassword(p.s, p.request, session, p.s.clock.now())).missing;
  } catch (error) {
    // The session expired or was used: the user starts again from the sign-in form.
    return await renderLogin(p, 200, { error: refusalText(error).message });
  }
  const on = (name: string) => input.error !== undefined && (input.errorField ?? 'new_password') === name;
  renderPage(p, status, 'Change password', (csrf) => html`<h1>Change password</h1>
<p class="note">Please enter a new password.</p>
${alert(input.error)}${form(pagePath(p.at, '/login', p.request.params), csrf, [
    hidden('session', session),
    field({ name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password', invalid: on('new_password') }),
    field({ name: 'confirm_password', label: 'Enter new password again', type: 'password', autocomplete: 'new-password', invalid: on('confirm_password') }),
    ...missing.map((name) => field(attributeField(name, input.values?.[name], on(name)))),
  ], 'Change password')}`);
}

export async function newPasswordAnswer(p: PageState, body: ReadonlyMap<string, string>): Promise<void> {
  const session = formValue(body, 'session');
  const password = formValue(body, 'new_password', false);
  const values: Record<string, string> = {};
  for (const [name, value] of body) if (!['session', 'new_password', 'confirm_password', '_csrf'].includes(name)) values[name] = value.trim();
  if (password !== formValue(body, 'confirm_password', false)) {
    return renderNewPassword(p, session, 200, { error: PASSWORDS_DIFFER, errorField: 'confirm_password', values });
  }
  const ctx = callContext(p.s, p.req, p.at, 'RespondToAuthChallenge');
  try {
    const user = await hostedNewPassword(p.s, p.request, session, password, values, ctx);
    await grantAndRedirect(p.s, p.res, p.at, p.request, user, ctx.now);
  } catch (error) {
    const refusal = refusalText(error);
    const missing = /^Invalid attributes given, (.+) is missing$/u.exec(refusal.message)?.[1];
    // A refusal about the session itself cannot be corrected on this form.
    if (refusal.message.startsWith(errors.sessionInvalid().message)) return await renderLogin(p, 200, { error: refusal.message });
    return renderNewPassword(p, session, 200, { error: refusal.message, errorField: missing ?? 'new_password', values });
  }
}
