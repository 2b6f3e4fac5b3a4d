/**
 * @module The domain's browser session in a real Chromium (OML §9, §8.2; black-box check 28): one
 * sign-in serves a second client of the pool without a page (SSO), /logout ends it and sends the
 * browser to the registered logout URL, and the next authorize shows /login again. Also the path
 * form of a domain (`/_domains/<prefix>/`), whose cookies are scoped to that path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { callbackCode, PASSWORD, pagePath, signIn, startHostedUi, waitForPath, type HostedUi } from './hosted-ui-fixture.ts';

const chromium = new TestBrowser(import.meta.url);

describe('hosted UI in Chromium: sessions, SSO and logout', { skip: chromiumMissing }, () => {
  let ui: HostedUi;

  before(async () => {
    ui = await startHostedUi('browser-sso');
    await chromium.launch();
    await ui.confirmedUser('hank');
    await ui.confirmedUser('iris');
  });
  after(async () => {
    await chromium.close();
    await ui?.close();
  });

  test('SSO: after signing in for client A, authorize for client B goes straight to the callback with a code', () =>
    chromium.run('sso-two-clients', async ({ page, shot, visited }) => {
      const a = ui.authorize(ui.clientA);
      await page.goto(a.url);
      await waitForPath(page, '/login');
      await shot('login-client-a');
      let since = ui.app.hits.length;
      await signIn(page, 'hank', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback-client-a');
      const tokensA = await ui.exchange(ui.clientA, callbackCode(ui, since, a.state), a.verifier);

      const b = ui.authorize(ui.clientB);
      since = ui.app.hits.length;
      const seen = visited.length;
      await page.goto(b.url);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback-client-b');
      assert.deepEqual(visited.slice(seen).map((u) => new URL(u).pathname).filter((p) => p !== '/callback'), [], 'no page was shown for client B');
      const tokensB = await ui.exchange(ui.clientB, callbackCode(ui, since, b.state), b.verifier);

      const first = await ui.verify(tokensA, ui.clientA);
      const second = await ui.verify(tokensB, ui.clientB);
      assert.equal(second.access.username, 'hank');
      assert.equal(second.id.aud, ui.clientB);
      assert.equal(second.id.auth_time, first.id.auth_time, 'auth_time is the time of the one sign-in');
    }));

  test('logout ends the session: the browser lands on the logout URL, and authorize shows /login again', () =>
    chromium.run('logout', async ({ context, page, shot }) => {
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      await shot('login');
      let since = ui.app.hits.length;
      await signIn(page, 'iris', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      callbackCode(ui, since, flow.state);
      assert.ok((await context.cookies(ui.base)).some((c) => c.name === 'cognito'));

      since = ui.app.hits.length;
      const logout = new URLSearchParams({ client_id: ui.clientA, logout_uri: ui.app.signedOutUrl });
      await page.goto(`${ui.base}/logout?${logout}`);
      await page.waitForURL(`${ui.app.signedOutUrl}**`);
      await shot('signed-out');
      assert.equal(ui.app.at('/signed-out', since).length, 1);
      assert.equal((await context.cookies(ui.base)).some((c) => c.name === 'cognito'), false, 'the session cookie is gone');

      const again = ui.authorize(ui.clientA);
      await page.goto(again.url);
      await waitForPath(page, '/login');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await shot('login-again');
      assert.equal(ui.app.at('/callback', since).length, 0, 'no code without signing in again');
    }));

  test('logout with a logout_uri the client did not register shows the error page, and the session stays', () =>
    chromium.run('logout-unregistered', async ({ context, page, shot }) => {
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      const since = ui.app.hits.length;
      await signIn(page, 'iris', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      callbackCode(ui, since, flow.state);
      const logout = new URLSearchParams({ client_id: ui.clientA, logout_uri: `${ui.app.origin}/elsewhere` });
      await page.goto(`${ui.base}/logout?${logout}`);
      await page.getByText('An error was encountered with the requested page.').waitFor();
      await shot('error');
      assert.equal(new URL(page.url()).host, new URL(ui.base).host, 'the browser stays on the domain');
      assert.equal(ui.app.at('/elsewhere').length, 0);
      assert.ok((await context.cookies(ui.base)).some((c) => c.name === 'cognito'), 'a refused logout leaves the session alone');
    }));

  test('the /_domains/<prefix>/ path form: sign-in works and the session cookie is scoped to that path', () =>
    chromium.run('path-form', async ({ context, page, shot }) => {
      const flow = ui.authorize(ui.clientA);
      const byPath = flow.url.replace(ui.base, `${ui.server.url.replace('127.0.0.1', 'localhost')}/_domains/${ui.prefix}`);
      await page.goto(byPath);
      await waitForPath(page, '/login');
      assert.match(new URL(page.url()).pathname, new RegExp(`^/_domains/${ui.prefix}/login$`, 'u'));
      assert.equal(pagePath(page), '/login');
      await shot('login');
      const since = ui.app.hits.length;
      await signIn(page, 'hank', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      const code = callbackCode(ui, since, flow.state);
      const session = (await context.cookies(`${ui.server.url.replace('127.0.0.1', 'localhost')}/_domains/${ui.prefix}/`)).find((c) => c.name === 'cognito');
      assert.ok(session, 'the session cookie is set on the path form');
      assert.equal(session.path, `/_domains/${ui.prefix}/`);
      assert.equal((await ui.verify(await ui.exchange(ui.clientA, code, flow.verifier), ui.clientA)).access.username, 'hank');
    }));
});
