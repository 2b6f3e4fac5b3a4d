/**
 * @module Amplify v6 `signInWithRedirect` in a real Chromium against the server with `--tls`
 * (OML §11.2, black-box check 31): the README's "Hosted UI in a browser" Amplify snippet, bundled
 * for the browser as written (ports and the app origin aside), sends the browser to the hosted
 * /login on `myapp.auth.localhost:<port>`, comes back with a code that Amplify redeems at
 * /oauth2/token from the page, `fetchAuthSession()` has tokens aws-jwt-verify accepts, and
 * `signOut()` goes through /logout back to the app, after which sign-in asks for a password again.
 */
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Page } from 'playwright-core';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { splitSnippet, startAmplifyApp, type AmplifyApp, type AmplifySnippet } from './amplify-app.ts';
import { signIn, waitForPath } from './hosted-ui-fixture.ts';
import { readmeBlock } from './readme-section.ts';

const chromium = new TestBrowser(import.meta.url);
/** What the README's snippet names, replaced by this run's ports. */
const README_PORT = ':9229';
const README_APP = 'http://localhost:3000';

function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
    }).on('error', reject).end();
  });
}

type AuthEvent = { event: string; message?: string };
type AmplifyPage = { amplify: Record<string, () => Promise<unknown>>; amplifyEvents: AuthEvent[] };

describe('Amplify v6 signInWithRedirect in Chromium over HTTPS', { skip: chromiumMissing }, () => {
  let server: TestServer;
  let app: AmplifyApp;
  let snippet: AmplifySnippet;
  let poolId: string;
  let clientId: string;
  let domain: string;

  before(async () => {
    server = await startTestServer({ tls: true });
    app = await startAmplifyApp();
    const port = new URL(server.url).port;
    const text = readmeBlock('ts', "from 'aws-amplify'");
    assert.match(text, /domain: 'myapp\.auth\.localhost:9229'/u);
    assert.match(text, /responseType: 'code'/u);
    snippet = splitSnippet(text.replaceAll(README_PORT, `:${port}`).replaceAll(README_APP, app.origin));
    assert.deepEqual(snippet.calls, ['signInWithRedirect', 'fetchAuthSession', 'signOut'], 'the snippet signs in, reads the session, signs out');
    domain = `https://myapp.auth.localhost:${port}`;

    const idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'amplify-web', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'myapp' }));
    clientId = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'spa',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [`${app.origin}/`],
      LogoutURLs: [`${app.origin}/`],
      SupportedIdentityProviders: ['COGNITO'],
    }))).UserPoolClient!.ClientId!;
    await signUp(idp, clientId, 'kate');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'kate', ConfirmationCode: await server.latestCode('kate') }));
    await app.load(snippet, { userPoolId: poolId, clientId });
    // The browser trusts this run's local authority, and nothing else it does not already trust.
    await chromium.launch({ trust: { url: server.url, ca: server.ca! } });
  });
  after(async () => {
    await chromium.close();
    await app?.close();
    await server?.stop();
  });

  /** Loads the app and waits until the snippet's module has run (Amplify configured). */
  const openApp = async (page: Page) => {
    await page.goto(`${app.origin}/`);
    await page.waitForFunction(() => 'amplify' in globalThis);
  };
  /** Calls one of the snippet's functions in the page without awaiting it: it navigates away. */
  const start = (page: Page, name: string) => page.evaluate((n) => void (globalThis as unknown as AmplifyPage).amplify[n]!(), name);
  const events = (page: Page) => page.evaluate(() => (globalThis as unknown as AmplifyPage).amplifyEvents);
  const sessionTokens = (page: Page) => page.evaluate(async () => {
    const { tokens } = (await (globalThis as unknown as AmplifyPage).amplify.fetchAuthSession!()) as { tokens?: { idToken?: object; accessToken?: object } };
    return { id: tokens?.idToken?.toString(), access: tokens?.accessToken?.toString() };
  });

  test('signInWithRedirect → hosted /login → back with a code → fetchAuthSession has tokens → signOut through /logout', () =>
    chromium.run('sign-in-with-redirect', async ({ context, page, shot }) => {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      const tokenCalls: string[] = [];
      page.on('request', (r) => r.url().startsWith(`${domain}/oauth2/token`) && tokenCalls.push(r.method()));

      await openApp(page);
      await shot('app');
      const authorizing = page.waitForRequest((r) => r.url().startsWith(`${domain}/oauth2/authorize?`));
      await start(page, 'signInWithRedirect');
      const authorize = new URL((await authorizing).url());
      await page.waitForURL(`${domain}/login?**`);
      assert.deepEqual(
        [authorize.searchParams.get('client_id'), authorize.searchParams.get('response_type'), authorize.searchParams.get('code_challenge_method'), authorize.searchParams.get('identity_provider')],
        [clientId, 'code', 'S256', 'COGNITO'],
      );
      assert.equal(new URL(page.url()).searchParams.get('redirect_uri'), `${app.origin}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await shot('hosted-login');

      await signIn(page, 'kate', PASSWORD);
      await page.waitForURL(`${app.origin}/**`);
      await page.waitForFunction(() => (globalThis as unknown as AmplifyPage).amplifyEvents.some((e) => e.event.startsWith('signInWithRedirect')));
      const outcome = (await events(page)).filter((e) => e.event.startsWith('signInWithRedirect'));
      assert.deepEqual(outcome.map((e) => e.event), ['signInWithRedirect'], `${JSON.stringify(outcome)}\n${problems.join('\n')}`);
      await shot('app-signed-in');
      assert.ok(tokenCalls.includes('POST'), 'Amplify redeemed the code at the domain\'s /oauth2/token from the page');

      const tokens = await sessionTokens(page);
      assert.ok(tokens.id && tokens.access, `fetchAuthSession has tokens: ${JSON.stringify(tokens)} ${problems.join('\n')}`);
      const issuer = `${server.url}/${poolId}`;
      const jwks = JSON.parse(await getText(`${issuer}/.well-known/jwks.json`, server.ca!));
      const verify = (tokenUse: 'id' | 'access', jwt: string) => {
        const v = JwtVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json`, customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId }) });
        v.cacheJwks(jwks);
        return v.verify(jwt);
      };
      assert.equal((await verify('access', tokens.access)).username, 'kate');
      assert.equal((await verify('id', tokens.id)).email, 'kate@example.com');
      assert.ok((await context.cookies(domain)).some((c) => c.name === 'cognito' && c.secure), 'a Secure session cookie on the HTTPS domain');

      const loggingOut = page.waitForRequest((r) => r.url().startsWith(`${domain}/logout?`));
      await start(page, 'signOut');
      const logout = new URL((await loggingOut).url());
      await page.waitForURL(`${app.origin}/`);
      await page.waitForFunction(() => 'amplify' in globalThis);
      await shot('app-signed-out');
      assert.deepEqual([logout.searchParams.get('client_id'), logout.searchParams.get('logout_uri')], [clientId, `${app.origin}/`]);
      assert.equal((await context.cookies(domain)).some((c) => c.name === 'cognito'), false, '/logout ended the session');
      assert.deepEqual(await sessionTokens(page), { id: undefined, access: undefined });

      await start(page, 'signInWithRedirect');
      await page.waitForURL(`${domain}/login?**`);
      await waitForPath(page, '/login');
      await shot('hosted-login-again');
    }));
});
