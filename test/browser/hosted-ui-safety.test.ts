/**
 * @module The hosted pages' failure paths and safety in a real Chromium (OML §4.2, §5.5; black-box
 * checks 8, 10, 16): the error page for an unregistered redirect_uri, PKCE errors sent back to the
 * app, a sign-in done with the keyboard alone, and hostile `state`/`username` values that the
 * pages render as text, never as markup, while `state` still reaches the app unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { alertText, callbackCode, PASSWORD, pagePath, signIn, startHostedUi, waitForPath, type HostedUi } from './hosted-ui-fixture.ts';

const chromium = new TestBrowser(import.meta.url);
const ERROR_TEXT = 'An error was encountered with the requested page.';
/** Markup that would set `window.__pwned` if any page interpolated it raw, in text or in an attribute. */
const HOSTILE = `"'><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">&amp;</textarea>`;

describe('hosted UI in Chromium: error pages, keyboard use, escaping', { skip: chromiumMissing }, () => {
  let ui: HostedUi;

  before(async () => {
    ui = await startHostedUi('browser-safe');
    await chromium.launch();
    await ui.confirmedUser('jack');
  });
  after(async () => {
    await chromium.close();
    await ui?.close();
  });

  test('an unregistered redirect_uri lands on /error?error=redirect_mismatch, never at that URI', () =>
    chromium.run('redirect-mismatch', async ({ page, shot }) => {
      const since = ui.app.hits.length;
      const flow = ui.authorize(ui.clientA, { redirectUri: `${ui.app.origin}/callback/` });
      const answer = await page.goto(flow.url);
      await waitForPath(page, '/error');
      const query = new URL(page.url()).searchParams;
      assert.deepEqual([query.get('error'), query.get('client_id')], ['redirect_mismatch', ui.clientA]);
      assert.equal(answer?.status(), 400);
      await page.getByText(ERROR_TEXT).waitFor();
      await shot('error');
      assert.equal(ui.app.hits.length, since, 'the app got nothing');
    }));

  test('PKCE errors go back to the app: method plain, and a challenge without a method → error=invalid_request with the state', () =>
    chromium.run('bad-pkce-method', async ({ page, shot, visited }) => {
      for (const [label, method] of [['plain', 'plain'], ['no-method', null]] as const) {
        const since = ui.app.hits.length;
        const seen = visited.length;
        const flow = ui.authorize(ui.clientA, { codeChallengeMethod: method });
        await page.goto(flow.url);
        await page.waitForURL(`${ui.app.callbackUrl}?**`);
        await shot(`callback-${label}`);
        const hits = ui.app.at('/callback', since);
        assert.equal(hits.length, 1);
        assert.deepEqual([hits[0]!.query.get('error'), hits[0]!.query.get('state'), hits[0]!.query.get('code')], ['invalid_request', flow.state, null], label);
        assert.ok(!visited.slice(seen).some((u) => u.includes('/login')), `${label}: no sign-in page first`);
      }
    }));

  test('keyboard only: Tab reaches Username, Password and "Sign in" in that order, Enter signs in', () =>
    chromium.run('keyboard-only', async ({ page, shot }) => {
      const flow = ui.authorize(ui.clientA);
      await page.goto(flow.url);
      await waitForPath(page, '/login');
      await shot('login');
      // Runs in the page; the project's TypeScript has no DOM types, so the one shape used is named here.
      type Focusable = { tagName: string; getAttribute(name: string): string | null; textContent: string | null };
      const focused = () => page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: Focusable | null } }).document.activeElement;
        return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('name') ?? ''}:${(el.textContent ?? '').trim()}` : '';
      });
      const tabTo = async (want: (f: string) => boolean, limit: number) => {
        const passed: string[] = [];
        for (let i = 0; i < limit; i += 1) {
          await page.keyboard.press('Tab');
          const now = await focused();
          if (want(now)) return passed;
          passed.push(now);
        }
        throw new Error(`not reached with ${limit} Tabs; focus went through ${JSON.stringify(passed)}`);
      };
      await tabTo((f) => f === 'input:username:', 10);
      await page.keyboard.type('jack');
      await tabTo((f) => f === 'input:password:', 1);
      await page.keyboard.type(PASSWORD);
      await shot('login-filled');
      // Between the password and the button there may be the "Forgot your password?" link, no more.
      await tabTo((f) => f.startsWith('button:') && f.endsWith(':Sign in'), 3);
      const since = ui.app.hits.length;
      await page.keyboard.press('Enter');
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      callbackCode(ui, since, flow.state);
    }));

  test('a hostile state and username are shown as text on every page and come back to the app unchanged', () =>
    chromium.run('hostile-state', async ({ page, shot }) => {
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const pwned = () => page.evaluate(() => (globalThis as { __pwned?: number }).__pwned);
      const assertInert = async (where: string) => {
        assert.equal(await pwned(), undefined, `${where}: no injected script or handler ran`);
        assert.equal(await page.locator('script:not([src])').count(), 0, `${where}: no inline script element on the page`);
        assert.equal(await page.locator('img[src="x"]').count(), 0, `${where}: no injected image`);
        assert.ok(!(await page.content()).includes('<script>window.__pwned'), `${where}: the markup is escaped`);
      };
      const flow = ui.authorize(ui.clientA, { state: HOSTILE });
      const answer = await page.goto(flow.url);
      await waitForPath(page, '/login');
      assert.equal(new URL(page.url()).searchParams.get('state'), HOSTILE, 'the state is carried in the query');
      assert.match((await answer!.allHeaders())['content-security-policy'] ?? '', /default-src 'none'/u);
      await assertInert('/login');
      await shot('login');

      for (const [link, path] of [['Sign up', '/signup'], ['Forgot your password?', '/forgotPassword']] as const) {
        await page.getByRole('link', { name: link }).click();
        await waitForPath(page, path);
        await assertInert(path);
        await shot(path);
        await page.goBack();
        await waitForPath(page, '/login');
      }

      await signIn(page, HOSTILE, 'Wrong-Horse-9');
      // No such user, and the client leaves PreventUserExistenceErrors at LEGACY: InitiateAuth's own text.
      assert.equal(await alertText(page), 'User does not exist.');
      await assertInert('/login after a failed POST');
      const refilled = await page.getByLabel('Username', { exact: true }).inputValue();
      assert.ok(refilled === '' || refilled === HOSTILE, `a re-filled username is the value itself, not markup: ${refilled}`);
      await shot('login-error');

      const since = ui.app.hits.length;
      await signIn(page, 'jack', PASSWORD);
      await page.waitForURL(`${ui.app.callbackUrl}?**`);
      await shot('callback');
      callbackCode(ui, since, HOSTILE);

      const error = new URLSearchParams({ error: HOSTILE, client_id: HOSTILE });
      await page.goto(`${ui.base}/error?${error}`);
      assert.equal(pagePath(page), '/error');
      await page.getByText(ERROR_TEXT).waitFor();
      await assertInert('/error');
      await shot('error');
      assert.deepEqual(dialogs, []);
    }));
});
