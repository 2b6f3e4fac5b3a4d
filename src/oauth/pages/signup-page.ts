/**
 * @module GET and POST /signup (OML §5.2): the sign-in identifier the pool asks for, the required
 * attributes (and those the pool verifies, so a code can be sent), a password; the post runs the
 * SignUp operation itself (policy, limits, PreSignUp, aliases, delivery through the outbox) and
 * shows its refusals with their AWS messages. Then /confirm, or, when the user came out
 * confirmed (PreSignUp autoConfirmUser), straight to the grant.
 */
import { viewPool } from '../../domain/pool-view.ts';
import type { PoolRecord } from '../../domain/records.ts';
import type { Services } from '../../operations/services.ts';
import { requiredAttributes } from '../../operations/shared/sign-in/outcome.ts';
import { signUp } from '../../operations/sign-up.ts';
import type { Endpoint } from '../endpoint.ts';
import { attributeField } from './attribute-fields.ts';
import { alert, field, form } from './fields.ts';
import { grantAndRedirect } from './grant.ts';
import { hostedSignInConfirmed } from './hosted-sign-in.ts';
import { html } from '../../web/html.ts';
import { formPage } from './form-page.ts';
import { callContext, formValue, pageLocation, pagePath, refusalText, runOperation, secretHashInput } from './page-context.ts';
import { sendRedirect } from './page-io.ts';
import { renderPage, type PageState } from './page-render.ts';

interface SignUpForm {
  /** The field that carries the username: `username`, or `email` / `phone_number` in pools that sign in with one. */
  login: 'username' | 'email' | 'phone_number';
  attributes: { name: string; required: boolean }[];
}

export function signUpForm(pool: PoolRecord): SignUpForm {
  const view = viewPool(pool);
  const login = view.usernameAttributes.includes('email') ? 'email' : view.usernameAttributes.includes('phone_number') ? 'phone_number' : 'username';
  const required = requiredAttributes(pool);
  const names = [...new Set([...required, ...view.autoVerified])].filter((name) => name !== login);
  return { login, attributes: names.map((name) => ({ name, required: required.includes(name) })) };
}

function renderSignUp(p: PageState, status: number, input: { values?: Record<string, string>; error?: { message: string; field: string } } = {}): void {
  const shape = signUpForm(p.request.pool);
  const values = input.values ?? {};
  const on = (name: string) => input.error?.field === name;
  const login = shape.login === 'username' ? field({ name: 'username', label: 'Username', autocomplete: 'username', value: values.username, invalid: on('username') }) : field(attributeField(shape.login, values[shape.login], on(shape.login)));
  renderPage(p, status, 'Sign up', (csrf) => html`<h1>Sign up</h1>
<p class="note">Create a new account</p>
${alert(input.error?.message)}${form(pagePath(p.at, '/signup', p.request.params), csrf, [
    login,
    ...shape.attributes.map((a) => field({ ...attributeField(a.name, values[a.name], on(a.name)), required: a.required })),
    field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', invalid: on('password'), hint: passwordHint(p.request.pool) }),
  ], 'Sign up')}<ul class="links">
<li>Already have an account? <a href="${pagePath(p.at, '/login', p.request.params)}">Sign in</a></li>
</ul>
`);
}

/** Managed login shows the password policy on the sign-up form (OML §5.2). */
function passwordHint(pool: PoolRecord): string {
  const policy = viewPool(pool).passwordPolicy;
  const needs = [policy.requireUppercase && 'an upper-case letter', policy.requireLowercase && 'a lower-case letter', policy.requireNumbers && 'a number', policy.requireSymbols && 'a symbol'].filter(Boolean);
  return `At least ${policy.minimumLength} characters${needs.length ? `, with ${needs.join(', ')}` : ''}.`;
}

/** Which field an operation's refusal is about, for aria-describedby; the login field when no attribute or password is named. */
function errorField(message: string, shape: SignUpForm): string {
  if (/password/iu.test(message)) return 'password';
  const named = shape.attributes.find((a) => message.includes(a.name));
  return named?.name ?? shape.login;
}

export function signUpEndpoint(s: Services): Endpoint {
  const operation = signUp(s);
  return formPage(s, {
    show: (p) => renderSignUp(p, 200),
    submit: async (p, body) => {
      const { req, res, at, request } = p;
    const shape = signUpForm(request.pool);
    const values: Record<string, string> = { [shape.login]: formValue(body, shape.login) };
    for (const a of shape.attributes) values[a.name] = formValue(body, a.name);
    const username = values[shape.login]!;
    const attributes = shape.attributes.filter((a) => values[a.name] !== '').map((a) => ({ Name: a.name, Value: values[a.name]! }));
    const ctx = callContext(s, req, at, 'SignUp');
    try {
      const out = await runOperation(
        operation,
        { ClientId: request.client.clientId, Username: username, Password: formValue(body, 'password', false), UserAttributes: attributes, ...secretHashInput(s, request.client, username) },
        ctx,
      );
      if (out.UserConfirmed === true) {
        const user = await hostedSignInConfirmed(s, request, username, ctx);
        return await grantAndRedirect(s, res, at, request, user, ctx.now);
      }
      sendRedirect(res, pageLocation(at, '/confirm', request.params, { username }));
    } catch (error) {
      const message = refusalText(error).message;
      renderSignUp(p, 200, { values, error: { message, field: errorField(message, shape) } });
    }
    },
  });
}
