/**
 * @module GET /oauth2/authorize over raw HTTP with redirects left unfollowed (OML §4, §14 checks
 * 8–12): each step of §4.2 in order and where it sends the browser (the /error page, the
 * redirect_uri with ?error= or #error=, /login with the query unchanged), the alias and the Host
 * form, PKCE S256 only, scope filtering, identity_provider, prompt=none, and the grants the form
 * sign-in ends with (code in the query, implicit tokens in the fragment).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { FormBrowser as Browser, pkcePair } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GET /oauth2/authorize', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let base: string;
  let web: string;
  let noCode: string;
  let noOAuth: string;
  let noCognito: string;
  const CB = 'http://localhost:3000/cb';
  const CB_WITH_QUERY = 'https://app.example.com/cb?x=1';
  const PASSWORD = 'Passw0rd!long';

  const client = async (pool: string, input: Partial<CreateUserPoolClientCommandInput>) =>
    (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'c', ...input }))).UserPoolClient!.ClientId!;
  const oauth = { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code' as const, 'implicit' as const], AllowedOAuthScopes: ['openid', 'email', 'api/read'], CallbackURLs: [CB, CB_WITH_QUERY], SupportedIdentityProviders: ['COGNITO'] };
  const authorize = (params: Record<string, string>, path = '/oauth2/authorize') => `${base}${path}?${new URLSearchParams(params).toString()}`;
  const get = (url: string) => new Browser().go(url);

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'authz' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'authz-1' }));
    await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }, { ScopeName: 'write', ScopeDescription: 'w' }] }));
    base = `${server.url}/_domains/authz-1`;
    web = await client(poolId, oauth);
    noCode = await client(poolId, { ...oauth, AllowedOAuthFlows: ['implicit'] });
    noOAuth = await client(poolId, { ...oauth, AllowedOAuthFlowsUserPoolClient: false });
    noCognito = await client(poolId, { ...oauth, SupportedIdentityProviders: [] });
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: PASSWORD, Permanent: true }));
  });
  after(() => server.stop());

  test('step 2: an unknown or missing client goes to the /error page, never to a redirect_uri', async () => {
    const unknown = await get(authorize({ client_id: 'unknownclient1', redirect_uri: CB, response_type: 'code' }));
    assert.equal(unknown.status, 302);
    assert.equal(unknown.location, `${base}/error?error=invalid_request&client_id=unknownclient1`);
    assert.equal((await get(authorize({ redirect_uri: CB, response_type: 'code' }))).location, `${base}/error?error=invalid_request&client_id=`);
  });

  test('check 8: an unregistered redirect_uri, or one with an extra slash, goes to /error?error=redirect_mismatch', async () => {
    for (const redirect of ['http://localhost:3000/other', `${CB}/`, 'http://localhost:3001/cb', 'https://app.example.com/cb']) {
      const hop = await get(authorize({ client_id: web, redirect_uri: redirect, response_type: 'code', state: 's1' }));
      assert.equal(hop.status, 302, redirect);
      assert.equal(hop.location, `${base}/error?error=redirect_mismatch&client_id=${web}`, redirect);
    }
    const missing = await get(authorize({ client_id: web, response_type: 'code' }));
    assert.equal(missing.location, `${base}/error?error=redirect_mismatch&client_id=${web}`, 'no redirect_uri and no DefaultRedirectURI');
    const page = await get(missing.location);
    assert.equal(page.status, 400);
    assert.match(page.text, /An error was encountered with the requested page\./u);
  });

  test('check 9: a valid request goes to /login with the identical query, on both paths and by Host', async () => {
    const { challenge } = pkcePair();
    const query = `client_id=${web}&redirect_uri=${encodeURIComponent(CB)}&response_type=code&state=abc%2Bdef&scope=openid+email&code_challenge=${challenge}&code_challenge_method=S256&nonce=n1&lang=fr&unknown=kept`;
    for (const path of ['/oauth2/authorize', '/authorize', '/OAuth2/Authorize']) {
      const hop = await get(`${base}${path}?${query}`);
      assert.equal(hop.status, 302, path);
      assert.equal(hop.location, `${base}/login?${query}`, path);
    }
    const byHost = await new Promise<{ status: number; location?: string; cache?: string }>((resolve, reject) => {
      const target = new URL(server.url);
      request({ host: target.hostname, port: target.port, path: `/oauth2/authorize?${query}`, headers: { host: 'authz-1.auth.localhost:4321' } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode!, location: res.headers.location, cache: res.headers['cache-control'] });
      }).on('error', reject).end();
    });
    assert.equal(byHost.status, 302);
    assert.equal(byHost.location, `http://authz-1.auth.localhost:4321/login?${query}`);
    assert.equal(byHost.cache, 'no-store');
    assert.equal((await new Browser().go(`${base}/oauth2/authorize?${query}`, undefined, 'POST')).status, 405, 'GET only');
  });

  test('check 10: PKCE is S256 only; a challenge without a method, or a method without a challenge, is invalid_request', async () => {
    const { challenge } = pkcePair();
    const common = { client_id: web, redirect_uri: CB, response_type: 'code', state: 'st-1' };
    const cases: Record<string, string>[] = [{ code_challenge: challenge, code_challenge_method: 'plain' }, { code_challenge: challenge }, { code_challenge_method: 'S256' }, { code_challenge: 'short', code_challenge_method: 'S256' }];
    for (const pkce of cases) {
      const hop = await get(authorize({ ...common, ...pkce }));
      assert.equal(hop.status, 302);
      assert.equal(hop.location, `${CB}?error=invalid_request&state=st-1`, JSON.stringify(pkce));
    }
    // An implicit request's errors go in the fragment; a redirect_uri with a query keeps it.
    assert.equal((await get(authorize({ ...common, response_type: 'token', code_challenge_method: 'plain', code_challenge: challenge }))).location, `${CB}#error=invalid_request&state=st-1`);
    assert.equal((await get(authorize({ ...common, redirect_uri: CB_WITH_QUERY, code_challenge: challenge }))).location, `${CB_WITH_QUERY}&error=invalid_request&state=st-1`);
  });

  test('an unsupported or missing response_type is invalid_request; state is echoed encoded, and left out when not sent', async () => {
    for (const responseType of ['id_token', 'code id_token', '']) {
      assert.equal((await get(authorize({ client_id: web, redirect_uri: CB, response_type: responseType, state: 'a b&c' }))).location, `${CB}?error=invalid_request&state=a%20b%26c`);
    }
    assert.equal((await get(authorize({ client_id: web, redirect_uri: CB }))).location, `${CB}?error=invalid_request`);
  });

  test('check 11: a client without the flow, or without OAuth, is unauthorized_client; so is one without COGNITO', async () => {
    const common = { redirect_uri: CB, response_type: 'code', state: 'st-2' };
    assert.equal((await get(authorize({ ...common, client_id: noCode }))).location, `${CB}?error=unauthorized_client&state=st-2`);
    assert.equal((await get(authorize({ ...common, client_id: noOAuth }))).location, `${CB}?error=unauthorized_client&state=st-2`);
    assert.equal((await get(authorize({ ...common, client_id: noCognito }))).location, `${CB}?error=unauthorized_client&state=st-2`);
    assert.equal((await get(authorize({ ...common, client_id: noCode, response_type: 'token' }))).status, 302);
    assert.match((await get(authorize({ ...common, client_id: noCode, response_type: 'token' }))).location, /\/login\?/u, 'implicit is allowed for it');
  });

  test('scopes: unknown or malformed is invalid_scope; a defined scope the client lacks is dropped; identity_provider other than COGNITO is invalid_request', async () => {
    const common = { client_id: web, redirect_uri: CB, response_type: 'code', state: 'st-3' };
    for (const scope of ['openid api/nope', 'openid nothing', 'open"id']) {
      assert.equal((await get(authorize({ ...common, scope }))).location, `${CB}?error=invalid_scope&state=st-3`, scope);
    }
    assert.equal((await get(authorize({ ...common, scope: 'api/write' }))).location, `${CB}?error=invalid_scope&state=st-3`, 'nothing left to grant');
    assert.match((await get(authorize({ ...common, scope: 'openid api/write' }))).location, /\/login\?/u);
    assert.match((await get(authorize({ ...common, identity_provider: 'COGNITO' }))).location, /\/login\?/u);
    assert.equal((await get(authorize({ ...common, identity_provider: 'Google' }))).location, `${CB}?error=invalid_request&state=st-3`);
  });

  test('prompt=none without a session is login_required (fragment for implicit)', async () => {
    const common = { client_id: web, redirect_uri: CB, state: 'st-4', prompt: 'none' };
    assert.equal((await get(authorize({ ...common, response_type: 'code' }))).location, `${CB}?error=login_required&state=st-4`);
    assert.equal((await get(authorize({ ...common, response_type: 'token' }))).location, `${CB}#error=login_required&state=st-4`);
  });

  test('check 12: a scope the client lacks is not granted; the code comes in the query with state', async () => {
    const { verifier, challenge } = pkcePair();
    const params = { client_id: web, redirect_uri: CB_WITH_QUERY, response_type: 'code', state: 'st-5', scope: 'openid api/read api/write', code_challenge: challenge, code_challenge_method: 'S256' };
    const callback = new URL(await new Browser().signIn(authorize(params), 'alice', PASSWORD));
    assert.equal(`${callback.origin}${callback.pathname}`, 'https://app.example.com/cb');
    assert.deepEqual([...callback.searchParams.keys()], ['x', 'code', 'state']);
    assert.match(callback.searchParams.get('code')!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u, 'UUID-shaped');
    assert.equal(callback.searchParams.get('state'), 'st-5');
    const form = { grant_type: 'authorization_code', client_id: web, code: callback.searchParams.get('code')!, redirect_uri: CB_WITH_QUERY, code_verifier: verifier };
    const answer = await fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as Record<string, string>;
    assert.equal(decodeJwt(body.access_token!).scope, 'openid api/read');
  });

  test('implicit: tokens in the fragment, lower-case bearer, an ID token only with openid, never a refresh token', async () => {
    const browser = new Browser();
    const withOpenId = new URL(await browser.signIn(authorize({ client_id: web, redirect_uri: CB, response_type: 'token', state: 'st-6', scope: 'openid email', nonce: 'n-6' }), 'alice', PASSWORD));
    assert.equal(withOpenId.search, '');
    const fragment = new URLSearchParams(withOpenId.hash.slice(1));
    assert.deepEqual([...fragment.keys()], ['id_token', 'access_token', 'token_type', 'expires_in', 'state']);
    assert.equal(fragment.get('token_type'), 'bearer');
    assert.equal(fragment.get('expires_in'), '3600');
    assert.equal(fragment.get('state'), 'st-6');
    assert.equal(decodeJwt(fragment.get('id_token')!).nonce, 'n-6');
    assert.equal(decodeJwt(fragment.get('access_token')!).scope, 'openid email');

    // The browser now has a session: the next authorize grants at once, here without openid.
    const again = await browser.go(authorize({ client_id: web, redirect_uri: CB, response_type: 'token', scope: 'api/read' }));
    assert.equal(again.status, 302);
    const bare = new URLSearchParams(new URL(again.location).hash.slice(1));
    assert.deepEqual([...bare.keys()], ['access_token', 'token_type', 'expires_in']);
    assert.equal(decodeJwt(bare.get('access_token')!).scope, 'api/read');
  });
});
