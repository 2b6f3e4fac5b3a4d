/**
 * @module The hosted sign-up, confirmation and password-reset pages over raw HTTP (OML §5.2, §5.3;
 * docs/oauth.md "Hosted pages"): /signup through the SignUp operation (its messages inline), the
 * code read from the outbox, a wrong code, "Resend code", the right code ending at the callback
 * with the original state; a client with a secret; an email-as-username pool; a pool closed to
 * self sign-up; /forgotPassword → /confirmforgotPassword → /login with the new password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { alertOf, FormBrowser as Browser } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CALLBACK = 'https://app.example.com/cb';
const PASSWORD = 'Passw0rd!';


describe('hosted pages: sign-up, confirmation, password reset', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  const setUp = async (domain: string, pool: Partial<CreateUserPoolCommandInput>, secret = false) => {
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: domain, AutoVerifiedAttributes: ['email'], ...pool }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
    const client = await idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: secret,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', state: `state-${domain}`, scope: 'openid' }).toString();
    return { poolId, clientId, query, path: (page: string, extra = '') => `/_domains/${domain}${page}?${query}${extra}` };
  };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  test('sign-up → code in the outbox → wrong code → resend → right code → callback with the original state', async () => {
    const schema = [{ Name: 'name', AttributeDataType: 'String' as const, Required: true, Mutable: true }];
    const site = await setUp('signup-1', { Schema: schema });
    const browser = new Browser(server.url);
    const form = await browser.request(site.path('/signup'));
    assert.equal(form.status, 200, form.text);
    assert.match(form.text, /<h1>Sign up<\/h1>/u);
    for (const label of ['Username', 'Email', 'Name', 'Password']) assert.match(form.text, new RegExp(`<label for="field-[a-z_]+">${label}</label>`, 'u'), label);
    assert.match(form.text, /name="password" type="password" autocomplete="new-password"/u);
    assert.match(form.text, /name="email" type="email" autocomplete="email"/u);
    assert.match(form.text, /<button type="submit">Sign up<\/button>/u);

    const weak = await browser.submit(form, { username: 'bob', email: 'bob@example.com', name: 'Bob', password: 'short' });
    assert.equal(weak.status, 200);
    assert.equal(alertOf(weak), 'Password did not conform with policy: Password not long enough');
    assert.match(weak.text, /name="password" type="password"[^>]*aria-describedby="form-error/u);
    const missing = await browser.submit(form, { username: 'bob', email: 'bob@example.com', name: '', password: PASSWORD });
    assert.match(alertOf(missing), /name/u, alertOf(missing));
    const hostile = await browser.submit(form, { username: 'bob', email: 'not-an-email', name: '"><script>x</script>', password: PASSWORD });
    assert.equal(alertOf(hostile), 'Invalid email address format.');
    assert.doesNotMatch(hostile.text, /<script>x/u);
    assert.match(hostile.text, /value="&quot;&gt;&lt;script&gt;x&lt;\/script&gt;"/u, 'the typed value is kept, escaped');

    const sent = await browser.submit(form, { username: 'bob', email: 'bob@example.com', name: 'Bob', password: PASSWORD });
    assert.equal(sent.status, 302, sent.text);
    assert.equal(sent.location, `${server.url}${site.path('/confirm', '&username=bob')}`);
    const first = await server.latestCode('bob');
    assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: 'bob' }))).UserStatus, 'UNCONFIRMED');

    const again = await browser.submit(form, { username: 'bob', email: 'bob2@example.com', name: 'Bob', password: PASSWORD });
    assert.equal(alertOf(again), 'User already exists');
    assert.match(again.text, /name="username" type="text"[^>]*aria-describedby="form-error"/u);

    const confirm = await browser.request(sent.location);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /<h1>Confirm your account<\/h1>/u);
    assert.match(confirm.text, /b\*\*\*@e\*\*\*/u);
    assert.match(confirm.text, /<label for="field-confirmation_code">Verification code<\/label>/u);
    assert.match(confirm.text, /name="confirmation_code" type="text" autocomplete="one-time-code" inputmode="numeric"/u);
    assert.match(confirm.text, /<button type="submit">Confirm account<\/button>/u);
    assert.match(confirm.text, new RegExp(`action="/_domains/signup-1/resendcode\\?[^"]*username=bob"`, 'u'));
    assert.match(confirm.text, />Resend code<\/button>/u);

    const wrong = await browser.submit(confirm, { confirmation_code: first === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 200);
    assert.equal(alertOf(wrong), 'Invalid verification code provided, please try again.');
    assert.match(wrong.text, /name="confirmation_code"[^>]*aria-describedby="form-error"/u);

    const resent = await browser.submit(confirm, {}, 1);
    assert.equal(resent.status, 302, resent.text);
    assert.equal(resent.location, sent.location);
    const second = await server.latestCode('bob');
    assert.notEqual(second, first, 'a new code was sent');
    const stale = await browser.submit(confirm, { confirmation_code: first });
    assert.equal(alertOf(stale), 'Invalid verification code provided, please try again.', 'the old code no longer works');

    const done = await browser.submit(confirm, { confirmation_code: second });
    assert.equal(done.status, 302, done.text);
    const back = new URL(done.location);
    assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
    assert.ok(back.searchParams.get('code'));
    assert.equal(back.searchParams.get('state'), 'state-signup-1');
    assert.ok(browser.cookies.has('cognito'), 'signed in: the browser session');
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: 'bob' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
  });

  test('a client with a secret: the pages compute SECRET_HASH themselves', async () => {
    const site = await setUp('signup-secret', {}, true);
    const browser = new Browser(server.url);
    const sent = await browser.submit(await browser.request(site.path('/signup')), { username: 'sec', email: 'sec@example.com', password: PASSWORD });
    assert.equal(sent.status, 302, sent.text);
    const done = await browser.submit(await browser.request(sent.location), { confirmation_code: await server.latestCode('sec') });
    assert.equal(done.status, 302, done.text);
    assert.match(done.location, /^https:\/\/app\.example\.com\/cb\?code=[^&]+&state=state-signup-secret$/u);
  });

  test('an email-as-username pool asks for "Email" instead of a username', async () => {
    const site = await setUp('signup-email', { UsernameAttributes: ['email'] });
    const browser = new Browser(server.url);
    const form = await browser.request(site.path('/signup'));
    assert.match(form.text, /<label for="field-email">Email<\/label>/u);
    assert.doesNotMatch(form.text, />Username</u);
    assert.equal([...form.text.matchAll(/name="email"/gu)].length, 1, 'one email field');
    const sent = await browser.submit(form, { email: 'eve@example.com', password: PASSWORD });
    assert.equal(sent.status, 302, sent.text);
    assert.match(sent.location, /&username=eve%40example\.com$/u);
    const code = (await server.outbox()).filter((m) => m.destination === 'eve@example.com').at(-1)!.code!;
    const done = await browser.submit(await browser.request(sent.location), { confirmation_code: code });
    assert.equal(done.status, 302, done.text);
    assert.match(done.location, /^https:\/\/app\.example\.com\/cb\?code=/u);
  });

  test('a pool closed to self sign-up hides the link and refuses the form with SignUp\'s message', async () => {
    const site = await setUp('signup-closed', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const browser = new Browser(server.url);
    const login = await browser.request(site.path('/login'));
    assert.equal(login.status, 200);
    assert.doesNotMatch(login.text, />Sign up</u);
    const refused = await browser.submit(await browser.request(site.path('/signup')), { username: 'x', email: 'x@example.com', password: PASSWORD });
    assert.equal(refused.status, 200);
    assert.equal(alertOf(refused), 'SignUp is not permitted for this user pool.');
  });

  test('forgot password → code → mismatch → wrong code → new password → /login → signed in with it', async () => {
    const site = await setUp('reset-1', {});
    await idp.send(new AdminCreateUserCommand({ UserPoolId: site.poolId, Username: 'rita', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'rita@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: site.poolId, Username: 'rita', Password: PASSWORD, Permanent: true }));
    const browser = new Browser(server.url);
    const login = await browser.request(site.path('/login'));
    const link = /href="([^"]+)">Forgot your password\?</u.exec(login.text)![1]!.replaceAll('&amp;', '&');
    assert.equal(link, site.path('/forgotPassword'));
    const forgot = await browser.request(link);
    assert.match(forgot.text, /<h1>Forgot your password\?<\/h1>/u);
    assert.match(forgot.text, /<label for="field-username">Username<\/label>/u);
    assert.match(forgot.text, /<button type="submit">Reset my password<\/button>/u);

    const sent = await browser.submit(forgot, { username: 'rita' });
    assert.equal(sent.status, 302, sent.text);
    assert.equal(sent.location, `${server.url}${site.path('/confirmforgotPassword', '&username=rita')}`);
    const code = await server.latestCode('rita');
    const reset = await browser.request(sent.location);
    for (const label of ['Code', 'New password', 'Enter new password again']) assert.match(reset.text, new RegExp(`<label for="field-[a-z_]+">${label}</label>`, 'u'), label);
    assert.match(reset.text, /<button type="submit">Change password<\/button>/u);

    const differ = await browser.submit(reset, { code, password: 'N3w-passw0rd', confirm_password: 'N3w-passw0rd!' });
    assert.equal(alertOf(differ), 'Passwords do not match.');
    const wrong = await browser.submit(reset, { code: code === '000000' ? '111111' : '000000', password: 'N3w-passw0rd!', confirm_password: 'N3w-passw0rd!' });
    assert.equal(alertOf(wrong), 'Invalid verification code provided, please try again.');
    const done = await browser.submit(reset, { code, password: 'N3w-passw0rd!', confirm_password: 'N3w-passw0rd!' });
    assert.equal(done.status, 302, done.text);
    assert.equal(done.location, `${server.url}${site.path('/login')}`);

    const form = await browser.request(done.location);
    const old = await browser.submit(form, { username: 'rita', password: PASSWORD });
    assert.equal(alertOf(old), 'Incorrect username or password.');
    const signedIn = await browser.submit(form, { username: 'rita', password: 'N3w-passw0rd!' });
    assert.equal(signedIn.status, 302, signedIn.text);
    assert.match(signedIn.location, /^https:\/\/app\.example\.com\/cb\?code=[^&]+&state=state-reset-1$/u);
  });

  test('forgot password for an unknown user shows ForgotPassword\'s own refusal', async () => {
    const site = await setUp('reset-2', {});
    const browser = new Browser(server.url);
    const refused = await browser.submit(await browser.request(site.path('/forgotPassword')), { username: 'ghost' });
    assert.equal(refused.status, 200);
    assert.equal(alertOf(refused), 'Username/client id combination not found.');
  });
});
