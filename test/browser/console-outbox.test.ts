/**
 * @module The console's outbox, message and trigger-log pages in a real Chromium: the outbox page
 * updates by itself when an app signs a user up (the live view: `/static/live.js` over the event
 * stream, under the console's strict CSP), and so does a pool's user list; a message's page shows
 * its code, the trigger log shows the PreSignUp runs; screenshots of each, and the outbox on a phone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fixturePath, functionArn } from '../fixtures/trigger-fixtures.ts';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { writeConfig } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const chromium = new TestBrowser(import.meta.url);

/** Collects what the page reports as refused by its policy or thrown by its scripts. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // A failed load is reported below with its address; the browser's own /favicon.ico is not the console's.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

describe('console: outbox, message and trigger log in Chromium', { skip: chromiumMissing }, () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;

  before(async () => {
    const functions = { [functionArn('pre-sign-up')]: { module: fixturePath('pre-sign-up') } };
    server = await startTestServer({ args: ['--config', writeConfig({ functions })] });
    ({ poolId, clientId } = await createPool(server.client(), { PoolName: 'Shop customers', LambdaConfig: { PreSignUp: functionArn('pre-sign-up') } }));
    await signUp(server.client(), clientId, 'first-user', 'first@example.com');
    await chromium.launch();
  });
  after(async () => {
    await chromium.close();
    await server?.stop();
  });

  test('the outbox page shows a new sign-up by itself, without a reload; its message page shows the code', async () => {
    await chromium.run('outbox live', async ({ page, shot, visited }) => {
      const problems = watchProblems(page);
      await page.goto(`${server.url}/_console/outbox`);
      await page.getByRole('heading', { name: 'Outbox' }).waitFor();
      assert.ok(await page.getByRole('link', { name: 'first-user' }).isVisible());
      // The stream is open (live.js marks the page) before the app signs anyone up.
      await page.waitForSelector('html[data-live="on"]', { timeout: 10_000 });
      await shot('outbox before');
      const loads = visited.length;

      await signUp(server.client(), clientId, 'watched-user', 'watched@example.com');
      await page.getByRole('link', { name: 'watched-user' }).waitFor({ timeout: 10_000 });
      assert.equal(visited.length, loads, 'the page was reloaded instead of updated in place');
      const order = await page.locator('#outbox-region tbody tr').allTextContents();
      assert.match(order[0] ?? '', /watched-user/u, 'the newest message is first');
      await shot('outbox after a sign-up');

      const code = await server.latestCode('watched-user');
      const [message] = (await server.outbox('watched-user')).slice(-1);
      await page.getByRole('link', { name: `#${message!.id}`, exact: true }).click();
      await page.getByRole('heading', { name: `Message #${message!.id}` }).waitFor();
      assert.equal(await page.locator('main code').first().textContent(), code);
      assert.match((await page.locator('pre').textContent()) ?? '', new RegExp(code, 'u'));
      await shot('message');
      assert.deepEqual(problems, [], 'the page reported errors (a CSP refusal or a script error)');
    });
  });

  test("a pool's user list shows a new sign-up by itself, on the live view's users event", async () => {
    await chromium.run('users live', async ({ page, shot, visited }) => {
      const problems = watchProblems(page);
      await page.goto(`${server.url}/_console/pools/${encodeURIComponent(poolId)}/users`);
      await page.getByRole('link', { name: 'first-user' }).waitFor();
      await page.waitForSelector('html[data-live="on"]', { timeout: 10_000 });
      const loads = visited.length;
      await signUp(server.client(), clientId, 'listed-user', 'listed@example.com');
      await page.getByRole('link', { name: 'listed-user' }).waitFor({ timeout: 10_000 });
      assert.equal(visited.length, loads, 'the page was reloaded instead of updated in place');
      await shot('users after a sign-up');
      assert.deepEqual(problems, []);
    });
  });

  test('the trigger log lists the PreSignUp runs', async () => {
    await chromium.run('trigger log', async ({ page, shot }) => {
      const problems = watchProblems(page);
      await page.goto(`${server.url}/_console/outbox`);
      await page.getByRole('link', { name: 'Trigger log' }).click();
      await page.getByRole('heading', { name: 'Trigger log' }).waitFor();
      const rows = page.locator('tbody tr');
      assert.ok((await rows.count()) >= 2);
      const first = (await rows.first().textContent()) ?? '';
      assert.match(first, /PreSignUp_SignUp/u);
      assert.ok(first.includes(poolId));
      assert.ok(first.includes('pre-sign-up'));
      assert.equal(await rows.first().locator('[title]').getAttribute('title'), functionArn('pre-sign-up'));
      await shot('trigger log');
      assert.deepEqual(problems, []);
    });
  });

  test('on a phone the outbox reads without sideways scrolling', async () => {
    await chromium.run(
      'outbox phone',
      async ({ page, shot }) => {
        await page.goto(`${server.url}/_console/outbox`);
        await page.getByRole('heading', { name: 'Outbox' }).waitFor();
        const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
        assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px viewport`);
        await shot('outbox phone');
      },
      { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
    );
  });
});
