/**
 * @module GET and POST /confirm and POST /resendcode (OML §5.2): the confirmation code, checked by
 * the ConfirmSignUp operation itself (attempt limit, expiry, aliases, PostConfirmation); success
 * signs the user in and ends in the grant, with auth_time now. "Resend code" runs
 * ResendConfirmationCode (its hourly limit included) and comes back here.
 */
import { chooseDeliveryTarget, maskDestination, standInTarget } from '../../domain/delivery-details.ts';
import { viewPool } from '../../domain/pool-view.ts';
import { confirmSignUp } from '../../operations/confirm-sign-up.ts';
import { resendConfirmationCode } from '../../operations/resend-confirmation-code.ts';
import type { Services } from '../../operations/services.ts';
import { resolveUser } from '../../operations/shared/entry.ts';
import type { Endpoint } from '../endpoint.ts';
import { alert, field, form } from './fields.ts';
import { grantAndRedirect } from './grant.ts';
import { hostedSignInConfirmed } from './hosted-sign-in.ts';
import { html } from '../../web/html.ts';
import { formPage } from './form-page.ts';
import { callContext, formValue, pageLocation, pagePath, refusalText, runOperation, secretHashInput } from './page-context.ts';
import { sendRedirect } from './page-io.ts';
import { renderPage, type PageState } from './page-render.ts';

/**
 * Where the code went, masked as CodeDeliveryDetails masks it. A name the pool does not know gets a
 * destination shaped from itself, as ResendConfirmationCode's simulated delivery does, so the page
 * does not tell who has an account.
 */
async function destination(p: PageState, username: string): Promise<string> {
  const pool = viewPool(p.request.pool);
  const user = username ? await resolveUser(p.s, pool, username) : undefined;
  const target = user ? chooseDeliveryTarget(pool.autoVerified, user.attributes) : standInTarget(username, pool.autoVerified.includes('email') || !pool.autoVerified.length ? 'EMAIL' : 'SMS');
  return target ? maskDestination(target) : '';
}

async function renderConfirm(p: PageState, status: number, username: string, error?: string): Promise<void> {
  const to = await destination(p, username);
  const extra = { username };
  renderPage(p, status, 'Confirm your account', (csrf) => html`<h1>Confirm your account</h1>
<p>${to ? `We have sent a code to ${to}. Enter it below to confirm your account.` : 'Enter the code we sent you to confirm your account.'}</p>
${alert(error)}${form(pagePath(p.at, '/confirm', p.request.params, extra), csrf, [
    field({ name: 'confirmation_code', label: 'Verification code', autocomplete: 'one-time-code', inputmode: 'numeric', invalid: error !== undefined }),
  ], 'Confirm account')}<p class="note">Didn't receive a code?</p>
${form(pagePath(p.at, '/resendcode', p.request.params, extra), csrf, [], 'Resend code', 'secondary')}`);
}

/** The username the page is about: the `username` query parameter that /signup and /login added. */
function usernameOf(p: { at: { url: URL } }): string {
  return (p.at.url.searchParams.get('username') ?? '').trim();
}

export function confirmEndpoint(s: Services): Endpoint {
  const confirm = confirmSignUp(s);
  return formPage(s, {
    show: (p) => renderConfirm(p, 200, usernameOf(p)),
    submit: async (p, body) => {
      const { req, res, at, request } = p;
    const username = usernameOf(p);
    const ctx = callContext(s, req, at, 'ConfirmSignUp');
    try {
      await runOperation(confirm, { ClientId: request.client.clientId, Username: username, ConfirmationCode: formValue(body, 'confirmation_code'), ...secretHashInput(s, request.client, username) }, ctx);
      const user = await hostedSignInConfirmed(s, request, username, ctx);
      await grantAndRedirect(s, res, at, request, user, ctx.now);
    } catch (error) {
      await renderConfirm(p, 200, username, refusalText(error).message);
    }
    },
  });
}

export function resendCodeEndpoint(s: Services): Endpoint {
  const resend = resendConfirmationCode(s);
  return formPage(s, {
    // Sending a code is a change, so only a CSRF-checked POST does it; a GET goes back to the form.
    get: (_req, res, at) => sendRedirect(res, pageLocation(at, '/confirm', new URLSearchParams(at.url.search))),
    show: () => {},
    submit: async (p) => {
      const { req, res, at, request } = p;
    const username = usernameOf(p);
    try {
      await runOperation(resend, { ClientId: request.client.clientId, Username: username, ...secretHashInput(s, request.client, username) }, callContext(s, req, at, 'ResendConfirmationCode'));
      sendRedirect(res, pageLocation(at, '/confirm', request.params, { username }));
    } catch (error) {
      await renderConfirm(p, 200, username, refusalText(error).message);
    }
    },
  });
}
