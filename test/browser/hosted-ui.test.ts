/**
 * @module The hosted pages in a real Chromium (OML §5, §4.3, §6; black-box checks 13–15, 17, 23):
 * sign-up → the code from the outbox → /confirm → the app's callback with a code → /oauth2/token →
 * tokens that aws-jwt-verify accepts; sign-in; a wrong password; forgot password → new password →
 * sign-in with it. Each scenario saves a screenshot of every page it passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { alertText, callbackCode, PASSWORD, signIn, startHostedUi, waitForPath, type HostedUi } from './hosted-ui-fixture.ts';

const chromium = new TestBrowser(import.meta.url);

describe('hosted UI in Chromium: sign-up, sign-in, password reset', { skip: chromiumMissing }, () => {
  let ui: HostedUi;

  before(async () => {
    ui = await startHostedUi('browser-main');
    await chromium.launch();
  });
  after(async () => {
    await chromium.close();
    await ui?.close();
  });

  test('sign up on the hosted page, confirm with the code from the outbox, land on the callback, redeem the code', () =>
    chromium.run('sign-up', async ({ page, shot }) => {
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      await assert.doesNotReject(page.getByRole('heading', { name: 'Sign in' }).waitFor());
      await shot('login');

      await page.getByRole('link', { name: 'Sign up' }).click();
      await waitForPath(page, '/signup');
      await page.getByRole('heading', { name: 'Sign up' }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('state'), flow.state, 'the authorize query rides along to /signup');
      await shot('signup');
      await page.getByLabel('Username', { exact: true }).fill('dana');
      await page.getByLabel('Email', { exact: true }).fill('dana@example.com');
      const password = page.getByLabel('Password', { exact: true });
      assert.equal(await password.getAttribute('autocomplete'), 'new-password');
      await password.fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();

      await waitForPath(page, '/confirm');
      await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('username'), 'dana');
      assert.equal((await ui.idp.send(new AdminGetUserCommand({ UserPoolId: ui.poolId, Username: 'dana' }))).UserStatus, 'UNCONFIRMED');
      const [first] = await ui.server.outbox('dana');
      assert.equal(first?.destination, 'dana@example.com', 'a confirmation code was sent to the address given');
      // Masked as SignUp's CodeDeliveryDetails.Destination is (d***@e***), never the address itself.
      const text = await page.locator('body').innerText();
      assert.ok(text.includes('d***@e***'), `the page names where the code went, masked: ${text}`);
      assert.ok(!text.includes('dana@example.com'));
      await shot('confirm');

      await page.getByRole('button', { name: 'Resend code' }).click();
      await waitForPath(page, '/confirm');
      await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
      const messages = await ui.server.outbox('dana');
      assert.equal(messages.length, 2, 'Resend code sent a second message');
      const sent = messages[1]!;
      assert.ok(sent.code && sent.code !== first.code, 'with a new code');
      await shot('confirm-resent');

      const codeField = page.getByLabel('Verification code', { exact: true });
      assert.equal(await codeField.getAttribute('autocomplete'), 'one-time-code');
      assert.equal(await codeField.getAttribute('inputmode'), 'numeric');
      await codeField.fill(sent.code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Confirm account' }).click();
      assert.equal(await alertText(page), 'Invalid verification code provided, please try again.');
      await shot('confirm-wrong-code');

      const since = ui.app.hits.length;
      await page.getByLabel('Verification code', { exact: true }).fill(sent.code);
      await page.getByRole('button', { name: 'Confirm account' }).click();
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      const code = callbackCode(ui, since, flow.state);

      const user = await ui.idp.send(new AdminGetUserCommand({ UserPoolId: ui.poolId, Username: 'dana' }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');

      const tokens = await ui.exchange(ui.clientA, code, flow.verifier);
      const { access, id } = await ui.verify(tokens, ui.clientA);
      assert.equal(access.username, 'dana');
      assert.equal(access.scope, 'openid email profile aws.cognito.signin.user.admin');
      assert.equal(id['cognito:username'], 'dana');
      assert.equal(id.email, 'dana@example.com');
      assert.equal(id.nonce, flow.nonce, 'the ID token carries the authorize nonce');
      assert.ok(id.at_hash, 'a hosted-UI ID token has at_hash');
    }));

  test('sign in with username and password: the callback gets a code and the domain sets its session cookie', () =>
    chromium.run('sign-in', async ({ context, page, shot }) => {
      await ui.confirmedUser('erin');
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete'), 'current-password');
      await shot('login');
      const since = ui.app.hits.length;
      await signIn(page, 'erin', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      const code = callbackCode(ui, since, flow.state);

      const cookies = await context.cookies(ui.base);
      const session = cookies.find((c) => c.name === 'cognito');
      assert.ok(session, `the domain set its session cookie: ${cookies.map((c) => c.name).join(', ')}`);
      assert.deepEqual([session.httpOnly, session.sameSite, session.path, session.secure], [true, 'Lax', '/', false]);
      assert.ok(cookies.some((c) => c.name === 'XSRF-TOKEN'), 'the form page set XSRF-TOKEN');

      const { access } = await ui.verify(await ui.exchange(ui.clientA, code, flow.verifier), ui.clientA);
      assert.equal(access.username, 'erin');
      assert.equal(access.client_id, ui.clientA);
    }));

  test('a wrong password re-renders /login with the error in an alert tied to the field, and no session', () =>
    chromium.run('wrong-password', async ({ context, page, shot }) => {
      await ui.confirmedUser('frank');
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      await shot('login');
      const since = ui.app.hits.length;
      const answer = page.waitForResponse((r) => r.request().method() === 'POST');
      await signIn(page, 'frank', 'Wrong-Horse-9');
      assert.equal((await answer).status(), 200);
      assert.equal(await alertText(page), 'Incorrect username or password.');
      await waitForPath(page, '/login');
      assert.equal(new URL(page.url()).searchParams.get('state'), flow.state, 'the authorize query survives the failed POST');
      await shot('login-error');
      assert.equal(ui.app.at('/callback', since).length, 0, 'the app got nothing');
      assert.equal((await context.cookies(ui.base)).some((c) => c.name === 'cognito'), false, 'no session cookie');

      // The same page still signs in with the right password.
      await signIn(page, 'frank', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      callbackCode(ui, since, flow.state);
    }));

  test('forgot password → the code from the outbox and a new password → /login → sign in with the new password', () =>
    chromium.run('forgot-password', async ({ page, shot }) => {
      await ui.confirmedUser('gina');
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      await shot('login');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await waitForPath(page, '/forgotPassword');
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      await shot('forgot-password');
      const before = (await ui.server.outbox('gina')).length;
      await page.getByLabel('Username', { exact: true }).fill('gina');
      await page.getByRole('button', { name: 'Reset my password' }).click();

      await waitForPath(page, '/confirmforgotPassword');
      assert.equal(new URL(page.url()).searchParams.get('username'), 'gina');
      const messages = await ui.server.outbox('gina');
      assert.equal(messages.length, before + 1, 'a reset code was sent');
      await shot('confirm-forgot-password');
      const newPassword = 'Battery-Staple-7';
      await page.getByLabel('Code', { exact: true }).fill(messages.at(-1)!.code!);
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      await page.getByLabel('Enter new password again', { exact: true }).fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();

      await waitForPath(page, '/login');
      assert.equal(new URL(page.url()).searchParams.get('state'), flow.state);
      await shot('login-after-reset');
      await signIn(page, 'gina', PASSWORD);
      assert.equal(await alertText(page), 'Incorrect username or password.', 'the old password no longer works');
      await shot('login-old-password');
      const since = ui.app.hits.length;
      await signIn(page, 'gina', newPassword);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      const code = callbackCode(ui, since, flow.state);
      assert.equal((await ui.verify(await ui.exchange(ui.clientA, code, flow.verifier), ui.clientA)).access.username, 'gina');
    }));
});
