/**
 * @module The console's pool and client pages in a real Chromium, on a phone and on a laptop:
 * the pools list, one pool's summary, its clients, one client, adding a secret (shown once) and
 * deleting one (a notice on the next page). Values a pool or client was configured with, however
 * hostile, show as text; no script runs; nothing overflows the phone's width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, ListUserPoolClientSecretsCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from 'playwright-core';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { createPool } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const chromium = new TestBrowser(import.meta.url);

/** Each would set `window.__pwned` if it became markup rather than text. */
const HOSTILE_SUBJECT = `<img src=x onerror="window.__pwned=1">"'&amp;`;
const HOSTILE_CALLBACK = `https://app.example/cb?next=<script>window.__pwned=2</script>"'`;

const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'laptop', viewport: { width: 1366, height: 860 } },
] as const;

async function noHorizontalOverflow(page: Page): Promise<void> {
  const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px viewport`);
}

describe('console: pools and clients in Chromium', { skip: chromiumMissing }, () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  let staffId: string;

  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(
      server.client(),
      {
        PoolName: 'Shop customers',
        UsernameAttributes: ['email'],
        MfaConfiguration: 'OFF',
        DeletionProtection: 'ACTIVE',
        VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailSubject: HOSTILE_SUBJECT, EmailMessage: 'Your code is {####}' },
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:check-sign-up' },
      },
      {
        ClientName: 'web-app',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [HOSTILE_CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      },
    ));
    // The other pool has a user (this one's PreSignUp function does not exist, so it can have none).
    staffId = (await createPool(server.client(), { PoolName: 'Staff' })).poolId;
    await server.client().send(new AdminCreateUserCommand({ UserPoolId: staffId, Username: 'jane', MessageAction: 'SUPPRESS' }));
    await chromium.launch();
  });
  after(async () => {
    await chromium.close();
    await server?.stop();
  });

  const secrets = async () =>
    (await server.client().send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecrets ?? [];

  for (const device of VIEWPORTS) {
    test(`${device.name}: pools, one pool, its clients, add and delete a secret`, () =>
      chromium.run(
        device.name,
        async ({ page, shot }) => {
          const problems: string[] = [];
          page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
          page.on('pageerror', (e) => problems.push(e.message));

          await page.goto(`${server.url}/_console/`);
          await page.waitForURL(`${server.url}/_console/pools`);
          await page.getByRole('heading', { name: 'User pools', level: 1 }).waitFor();
          const rows = page.getByRole('table', { name: 'User pools' }).getByRole('row');
          assert.equal(await rows.count(), 3, 'a header row and one row per pool');
          const cellsOf = async (name: string) => (await page.getByRole('row', { name }).getByRole('cell').allInnerTexts()).slice(0, 4).map((t) => t.trim());
          assert.deepEqual(await cellsOf('Shop customers'), ['Shop customers', poolId, 'ESSENTIALS', '0']);
          assert.deepEqual(await cellsOf('Staff'), ['Staff', staffId, 'ESSENTIALS', '1']);
          assert.equal(await page.getByRole('link', { name: 'Pools' }).getAttribute('aria-current'), 'page');
          await noHorizontalOverflow(page);
          await shot('pools');

          await page.getByRole('link', { name: 'Shop customers' }).click();
          await page.getByRole('heading', { name: 'Shop customers', level: 1 }).waitFor();
          const settings = page.locator('section', { has: page.getByRole('heading', { name: 'Settings' }) });
          const text = await settings.innerText();
          assert.ok(text.includes('email as the username'), text);
          assert.ok(text.includes(HOSTILE_SUBJECT), 'the subject shows as the text it is');
          assert.match(text, /Deletion protection\s+ACTIVE/u);
          assert.match(await page.getByRole('table', { name: 'Triggers' }).innerText(), /PreSignUp\s+arn:aws:lambda:us-east-1:000000000000:function:check-sign-up/u);
          assert.match(await page.getByRole('table', { name: 'Quotas and limits' }).innerText(), /Confirmation attempts\s+15 per user per hour/u);
          await noHorizontalOverflow(page);
          await shot('pool');

          await page.getByRole('link', { name: 'App clients' }).click();
          await page.getByRole('heading', { name: 'App clients', level: 1 }).waitFor();
          assert.match(await page.getByRole('table', { name: 'App clients' }).innerText(), new RegExp(`web-app\\s+${clientId}`, 'u'));
          await shot('clients');

          await page.getByRole('link', { name: 'web-app' }).click();
          await page.getByRole('heading', { name: 'web-app', level: 1 }).waitFor();
          assert.ok((await page.locator('body').innerText()).includes(HOSTILE_CALLBACK), 'the callback URL shows as text');
          const before = await secrets();
          const oldId = before[0]?.ClientSecretId ?? '';
          assert.equal(before.length, 1);
          const secretsTable = page.getByRole('table', { name: 'Client secrets' });
          assert.match(await secretsTable.innerText(), new RegExp(`${oldId}\\s+•+ \\(hidden\\)`, 'u'));
          await noHorizontalOverflow(page);
          await shot('client');

          await page.getByRole('button', { name: 'Add a secret' }).click();
          const once = page.locator('.secret-once');
          await once.waitFor();
          const value = (await once.locator('code').innerText()).trim();
          const after = await secrets();
          const newId = after[1]?.ClientSecretId ?? '';
          assert.equal(after.length, 2);
          assert.ok((await once.innerText()).includes(newId), 'the new secret is named by its id');
          assert.match(value, /^[a-z0-9]{40,}$/u);
          await shot('secret-added');

          await page.getByRole('row', { name: new RegExp(oldId, 'u') }).getByRole('button', { name: 'Delete secret' }).click();
          await page.getByRole('status').filter({ hasText: `Secret ${oldId} deleted.` }).waitFor();
          assert.deepEqual((await secrets()).map((s) => s.ClientSecretId), [newId]);
          assert.ok(!(await page.content()).includes(value), 'the value is not shown again');
          await shot('secret-deleted');

          assert.equal(await page.evaluate('window.__pwned'), undefined, 'no injected script ran');
          assert.deepEqual(problems, [], 'no script errors or CSP violations');
        },
        { context: { viewport: device.viewport, ...('isMobile' in device ? { isMobile: device.isMobile, hasTouch: device.hasTouch } : {}) } },
      ));
  }

  test('the notice is shown only with its tag: a crafted ?notice= link shows nothing', () =>
    chromium.run('crafted-notice', async ({ page }) => {
      await page.goto(`${server.url}/_console/pools?notice=${encodeURIComponent('Your session expired: sign in at evil.example')}&n=AAAAAAAAAAAAAAAAAAAAAA`);
      await page.getByRole('heading', { name: 'User pools', level: 1 }).waitFor();
      assert.equal(await page.getByRole('status').count(), 0);
    }));
});
