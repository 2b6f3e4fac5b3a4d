/**
 * @module A generic OIDC library against the hosted UI (OML §11.1, §11.3; black-box check 31): the
 * README's openid-client v6 snippet, run as written (the server's origin and the app's callback
 * aside), discovers the pool's issuer, sends a real Chromium to the domain's authorization
 * endpoint, and redeems the code that comes back; its ID token is checked by openid-client against
 * the discovery document, and the access token reads /oauth2/userInfo.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as client from 'openid-client';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { PASSWORD, signIn, startHostedUi, waitForPath, type HostedUi } from './hosted-ui-fixture.ts';
import { readmeBlock } from './readme-section.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chromium = new TestBrowser(import.meta.url);
const README_ORIGIN = 'http://127.0.0.1:9229';
const README_CALLBACK = 'http://localhost:3000/callback';
/** The snippet's comment where the browser does its part; `callbackUrl` is defined right after it. */
const BROWSER_STEP = '// Send the browser to signInUrl;';

interface SnippetResult {
  config: client.Configuration;
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  claims: client.IDToken;
}
type Visit = (url: URL) => Promise<string>;

/**
 * The snippet as a module whose default export runs it: its imports stay at the top, the rest
 * becomes the function's body with `callbackUrl` set where the browser step is, and what it made
 * is returned for the assertions.
 */
async function loadSnippet(text: string): Promise<{ run: (input: { userPoolId: string; clientId: string; visit: Visit }) => Promise<SnippetResult>; dispose(): void }> {
  const lines = text.split('\n');
  const step = lines.findIndex((l) => l.startsWith(BROWSER_STEP));
  if (step < 0) throw new Error(`the snippet has no "${BROWSER_STEP}" line`);
  const body = [...lines.slice(0, step + 1), 'const callbackUrl = await visit(signInUrl);', ...lines.slice(step + 1)].filter((l) => !l.startsWith('import '));
  const module = [
    ...lines.filter((l) => l.startsWith('import ')),
    'export default async function run({ userPoolId, clientId, visit }) {',
    ...body,
    '  return { config, tokens, claims };',
    '}',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'userpool-readme-oidc-'));
  // The snippet's bare import resolves through this project's node_modules, where openid-client is installed.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'snippet.mts'), module);
  const loaded = (await import(pathToFileURL(join(dir, 'snippet.mts')).href)) as { default: (input: { userPoolId: string; clientId: string; visit: Visit }) => Promise<SnippetResult> };
  return { run: loaded.default, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

describe("the README's openid-client snippet against the hosted UI in Chromium", { skip: chromiumMissing }, () => {
  let ui: HostedUi;
  let snippet: Awaited<ReturnType<typeof loadSnippet>>;

  before(async () => {
    ui = await startHostedUi('browser-oidc');
    const text = readmeBlock('ts', "from 'openid-client'");
    assert.match(text, /client\.discovery\(new URL\(`http:\/\/127\.0\.0\.1:9229\/\$\{userPoolId\}`\)/u);
    snippet = await loadSnippet(text.replaceAll(README_ORIGIN, ui.server.url).replaceAll(README_CALLBACK, ui.app.callbackUrl));
    await ui.confirmedUser('lena');
    await chromium.launch();
  });
  after(async () => {
    snippet?.dispose();
    await chromium.close();
    await ui?.close();
  });

  test('discovery → the domain\'s authorize endpoint in the browser → /login → callback → authorizationCodeGrant → userInfo', () =>
    chromium.run('openid-client', async ({ page, shot }) => {
      const visit: Visit = async (url) => {
        assert.equal(url.origin + url.pathname, `${ui.server.url}/_domains/${ui.prefix}/oauth2/authorize`, 'discovery points at the domain by path');
        await page.goto(url.href);
        await waitForPath(page, '/login');
        await shot('login');
        await signIn(page, 'lena', PASSWORD);
        await page.waitForURL(`${ui.app.callbackUrl}?**`);
        await shot('callback');
        return page.url();
      };
      const { config, tokens, claims } = await snippet.run({ userPoolId: ui.poolId, clientId: ui.clientA, visit });
      assert.equal(claims.iss, `${ui.server.url}/${ui.poolId}`);
      assert.equal(claims.aud, ui.clientA);
      assert.equal(claims.email, 'lena@example.com');
      assert.equal(claims['cognito:username'], 'lena');
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.ok(tokens.refresh_token, 'the code grant gives a refresh token');

      const me = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.equal(me.sub, claims.sub);
      assert.equal(me.email, 'lena@example.com');
    }));
});
