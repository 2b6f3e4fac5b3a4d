/**
 * @module The hosted sign-in pages over raw HTTP, as a browser without JavaScript would use them
 * (OML §5.1, §5.5, §9; docs/oauth.md "Hosted pages"): /login with wrong and right passwords, an
 * UNCONFIRMED user sent to /confirm with a fresh code, the change-password form after a temporary
 * password, lockout, CSRF refusals, the security headers of every page, escaping of hostile
 * values, the /error page and the stylesheet with the pool's branding.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { alertOf, csrfOf, FormBrowser as Browser, type Page } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CALLBACK = 'http://localhost:3000/cb';
const PASSWORD = 'Passw0rd!';
const BASE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";


/** The action of the page's first form, entities decoded, as a browser would post it. */
function actionOf(page: Page, index = 0): string {
  const actions = [...page.text.matchAll(/<form method="post" action="([^"]*)"/gu)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  assert.ok(actions[index] !== undefined, `no form ${index} in:\n${page.text}`);
  return actions[index]!;
}

describe('hosted pages: /login', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let browser: Browser;
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const domain = 'pages-login';

  const authorizeQuery = (state = 'st-1', extra: Record<string, string> = {}) =>
    new URLSearchParams({
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      state,
      scope: 'openid email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      nonce: 'n-1',
      ...extra,
    }).toString();
  const path = (page: string, query = authorizeQuery()) => `/_domains/${domain}${page}?${query}`;

  const confirmedUser = async (username: string, email = `${username}@example.com`) => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'hosted', AutoVerifiedAttributes: ['email'], UserPoolTags: { 'userpool:branding:primary-color': '#aa3300', 'userpool:branding:background-color': '</style>' } }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
    clientId = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await confirmedUser('alice');
    browser = new Browser(server.url);
  });
  after(() => server.stop());

  test('GET /login renders the form with the contract labels, links and the CSRF cookie', async () => {
    const fresh = new Browser(server.url);
    const page = await fresh.get(path('/login'));
    assert.equal(page.status, 200, page.text);
    assert.match(page.headers.get('content-type')!, /^text\/html; charset=utf-8$/u);
    assert.match(page.text, /<html lang="en">/u);
    assert.match(page.text, /<h1>Sign in<\/h1>/u);
    assert.match(page.text, /<label for="field-username">Username<\/label>/u);
    assert.match(page.text, /<input id="field-password" name="password" type="password" autocomplete="current-password"/u);
    assert.match(page.text, /<button type="submit">Sign in<\/button>/u);
    assert.match(page.text, new RegExp(`href="/_domains/${domain}/forgotPassword\\?client_id=`, 'u'));
    assert.match(page.text, />Sign up<\/a>/u);
    assert.match(page.text, /<link rel="stylesheet" href="\/_domains\/pages-login\/static\/style.css">/u);
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='));
    assert.ok(cookie, 'XSRF-TOKEN is set');
    assert.match(cookie, new RegExp(`^XSRF-TOKEN=[A-Za-z0-9_-]{43}; Path=/_domains/${domain}/; SameSite=Lax; HttpOnly$`, 'u'));
    assert.equal(csrfOf(page), fresh.cookies.get('XSRF-TOKEN'));
    // The authorize query is carried in the form's action, unchanged.
    assert.equal(actionOf(page), path('/login'));
  });

  test('a wrong password re-renders the form (200) with the API message in the alert, tied to the fields', async () => {
    const form = await browser.get(path('/login'));
    const page = await browser.post(actionOf(form), form, { username: 'alice', password: 'Wrong1!x' });
    assert.equal(page.status, 200);
    assert.equal(alertOf(page), 'Incorrect username or password.');
    assert.match(page.text, /<div class="alert" id="form-error" role="alert">/u);
    assert.match(page.text, /name="password" type="password"[^>]*aria-describedby="form-error"/u);
    assert.match(page.text, /name="username" type="text"[^>]*value="alice"/u, 'the username is kept');
    assert.doesNotMatch(page.text, /Wrong1!x/u, 'the password is never echoed');
  });

  test('an unknown user is told "User does not exist." (existence errors not prevented on this client)', async () => {
    const form = await browser.get(path('/login'));
    const page = await browser.post(actionOf(form), form, { username: 'nobody', password: PASSWORD });
    assert.equal(page.status, 200);
    assert.equal(alertOf(page), 'User does not exist.');
  });

  test('with PreventUserExistenceErrors an unknown user reads "Incorrect username or password." too', async () => {
    const hidden = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'hiding',
          PreventUserExistenceErrors: 'ENABLED',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const query = new URLSearchParams({ client_id: hidden, redirect_uri: CALLBACK, response_type: 'code' }).toString();
    const form = await browser.get(path('/login', query));
    const page = await browser.post(actionOf(form), form, { username: 'nobody', password: PASSWORD });
    assert.equal(page.status, 200);
    assert.equal(alertOf(page), 'Incorrect username or password.');
  });

  test('the right password answers 302 to the callback with a code, the original state and the session cookie', async () => {
    const me = new Browser(server.url);
    const form = await me.get(path('/login', authorizeQuery('keep-this-state')));
    const page = await me.post(actionOf(form), form, { username: 'alice', password: PASSWORD });
    assert.equal(page.status, 302, page.text);
    const location = new URL(page.location);
    assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
    assert.ok(location.searchParams.get('code'), 'a code');
    assert.equal(location.searchParams.get('state'), 'keep-this-state');
    assert.ok(page.headers.getSetCookie().some((c) => c.startsWith('cognito=')), 'the browser session cookie');
    // The code is redeemed with the PKCE verifier at the token endpoint.
    const token = await fetch(`${server.url}/_domains/${domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, client_id: clientId, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
    });
    assert.equal(token.status, 200, await token.clone().text());
    const body = (await token.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims['cognito:username'], 'alice');
    assert.equal(claims.nonce, 'n-1');
  });

  test('an UNCONFIRMED user with the right password gets a fresh code and goes to /confirm', async () => {
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'uncle', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'uncle@example.com' }] }));
    const first = await server.latestCode('uncle');
    const before = (await server.outbox('uncle')).length;
    const form = await browser.get(path('/login'));
    const wrong = await browser.post(actionOf(form), form, { username: 'uncle', password: 'Wrong1!x' });
    assert.equal(alertOf(wrong), 'Incorrect username or password.', 'a wrong password is refused as for anyone');
    const page = await browser.post(actionOf(form), form, { username: 'uncle', password: PASSWORD });
    assert.equal(page.status, 302, page.text);
    assert.equal(page.location, `${server.url}/_domains/${domain}/confirm?${authorizeQuery()}&username=uncle`);
    assert.equal((await server.outbox('uncle')).length, before + 1, 'a new code was sent');
    const confirm = await browser.get(page.location);
    assert.match(confirm.text, /<h1>Confirm your account<\/h1>/u);
    assert.match(confirm.text, /u\*\*\*@e\*\*\*/u, 'the masked destination');
    const signedIn = await browser.post(actionOf(confirm), confirm, { confirmation_code: await server.latestCode('uncle') });
    assert.equal(signedIn.status, 302, signedIn.text);
    assert.match(signedIn.location, /^http:\/\/localhost:3000\/cb\?code=[^&]+&state=st-1$/u);
    assert.notEqual(first, await server.latestCode('uncle'));
  });

  test('a temporary password leads to the change-password form; mismatches and policy faults keep it; then signed in', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'temp', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS' }));
    const form = await browser.get(path('/login'));
    const change = await browser.post(actionOf(form), form, { username: 'temp', password: 'Temp0rary!' });
    assert.equal(change.status, 200, change.text);
    assert.match(change.text, /<h1>Change password<\/h1>/u);
    assert.match(change.text, /<label for="field-new_password">New password<\/label>/u);
    assert.match(change.text, /<label for="field-confirm_password">Enter new password again<\/label>/u);
    const session = /name="session" value="([^"]+)"/u.exec(change.text)![1]!;
    const differ = await browser.post(actionOf(change), change, { session, new_password: 'Brand-new1!', confirm_password: 'Brand-new2!' });
    assert.equal(alertOf(differ), 'Passwords do not match.');
    const weak = await browser.post(actionOf(change), change, { session, new_password: 'short', confirm_password: 'short' });
    assert.equal(alertOf(weak), 'Password did not conform with policy: Password not long enough');
    const done = await browser.post(actionOf(change), change, { session, new_password: 'Brand-new1!', confirm_password: 'Brand-new1!' });
    assert.equal(done.status, 302, done.text);
    assert.match(done.location, /^http:\/\/localhost:3000\/cb\?code=/u);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'temp' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
  });

  test('repeated wrong passwords lock the user with the API text "Password attempts exceeded"', async () => {
    await confirmedUser('locky');
    const form = await browser.get(path('/login'));
    const alerts: string[] = [];
    for (let i = 0; i < 9 && !alerts.includes('Password attempts exceeded'); i++) {
      alerts.push(alertOf(await browser.post(actionOf(form), form, { username: 'locky', password: `Wrong${i}!x` })));
    }
    assert.deepEqual(alerts.slice(0, 5), Array(5).fill('Incorrect username or password.'));
    assert.ok(alerts.includes('Password attempts exceeded'), alerts.join(' | '));
  });

  test('a POST without the CSRF token, with a wrong one, or without the cookie is refused with the 403 error page', async () => {
    const form = await browser.get(path('/login'));
    const target = actionOf(form);
    const none = await browser.request(target, { form: { username: 'alice', password: PASSWORD } });
    assert.equal(none.status, 403);
    assert.match(none.text, /An error was encountered with the requested page\./u);
    const wrong = await browser.request(target, { form: { _csrf: 'A'.repeat(43), username: 'alice', password: PASSWORD } });
    assert.equal(wrong.status, 403);
    const noCookie = await browser.request(target, { form: { _csrf: csrfOf(form), username: 'alice', password: PASSWORD }, cookies: false });
    assert.equal(noCookie.status, 403);
    assert.equal(noCookie.location, '', 'nothing was signed in');
  });

  test('every page sends the security headers and no inline script or style', async () => {
    const pages = ['/login', '/signup', '/forgotPassword', '/confirm', '/confirmforgotPassword'];
    for (const page of pages) {
      const answer = await browser.get(path(page, `${authorizeQuery()}&username=alice`));
      assert.equal(answer.status, 200, `${page}: ${answer.text}`);
      // The callback's origin is added to form-action: browsers check it on the redirect a form post follows.
      assert.equal(answer.headers.get('content-security-policy'), BASE_CSP.replace("form-action 'self'", "form-action 'self' http://localhost:3000"), page);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', page);
      assert.equal(answer.headers.get('cache-control'), 'no-store', page);
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', page);
      assert.doesNotMatch(answer.text, /<script|<style| style=| on[a-z]+=/iu, page);
      assert.match(answer.text, /<main>/u, page);
      assert.doesNotMatch(answer.text, /tabindex="[1-9]/u, page);
      for (const [, id] of answer.text.matchAll(/<input id="([^"]+)"/gu)) assert.match(answer.text, new RegExp(`<label for="${id}">`, 'u'), `${page}: label for ${id}`);
    }
    const error = await browser.get(`/_domains/${domain}/error?error=redirect_mismatch&client_id=${clientId}`);
    assert.equal(error.headers.get('content-security-policy'), BASE_CSP);
  });

  test('hostile state, username and query values never appear raw', async () => {
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const form = await browser.get(path('/login', authorizeQuery(hostile)));
    assert.equal(form.status, 200);
    const refused = await browser.post(actionOf(form), form, { username: hostile, password: 'x' });
    for (const page of [form, refused]) assert.doesNotMatch(page.text, /<script>|<img src=x|"><script/u);
    assert.match(form.text, /state=%22%3E%3Cscript%3E/u, 'the state travels URL-encoded in the action');
    assert.match(refused.text, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;"/u, 'the username is kept, escaped');
    const confirm = await browser.get(path('/confirm', `${authorizeQuery(hostile)}&username=${encodeURIComponent(hostile)}`));
    assert.doesNotMatch(confirm.text, /<script>|<img src=x/u);
    const reset = await browser.get(path('/confirmforgotPassword', `${authorizeQuery(hostile)}&username=${encodeURIComponent(hostile)}`));
    assert.doesNotMatch(reset.text, /<script>|<img src=x/u);
  });

  test('a bad authorize query sends the browser where /oauth2/authorize would', async () => {
    const unregistered = await browser.get(path('/login', authorizeQuery('s', { redirect_uri: 'http://localhost:3000/other' })));
    assert.equal(unregistered.status, 302);
    assert.match(unregistered.location, new RegExp(`/error\\?error=redirect_mismatch&client_id=${clientId}$`, 'u'));
    const plain = await browser.get(path('/login', authorizeQuery('s', { code_challenge_method: 'plain' })));
    assert.equal(plain.status, 302);
    assert.match(plain.location, /^http:\/\/localhost:3000\/cb\?error=invalid_request/u);
  });

  test('GET /error renders the generic page with status 400; unknown error codes are not reflected', async () => {
    const page = await browser.get(`/_domains/${domain}/error?error=redirect_mismatch&client_id=${clientId}`);
    assert.equal(page.status, 400);
    assert.match(page.text, /An error was encountered with the requested page\./u);
    assert.match(page.text, /redirect_mismatch/u);
    const odd = await browser.get(`/_domains/${domain}/error?error=${encodeURIComponent('Call +1 555 now')}`);
    assert.doesNotMatch(odd.text, /555/u);
  });

  test('GET /static/style.css is the stylesheet with the pool\'s valid branding colour only', async () => {
    const css = await browser.get(`/_domains/${domain}/static/style.css`);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.match(css.text, /--primary: #aa3300;/u);
    assert.doesNotMatch(css.text, /<\/style>/u, 'a value that is not a colour is ignored');
    assert.match(css.text, /:focus-visible/u);
    assert.match(css.text, /@media \(max-width: 30rem\)/u);
  });
});
