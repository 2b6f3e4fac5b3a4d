/**
 * @module userInfo, revoke, logout and SSO through raw HTTP (OML §7, §8, §9, §14 checks 26–30):
 * userInfo's attributes and exact WWW-Authenticate values, every /oauth2/revoke row, /logout in
 * both modes (and refusing an unregistered logout_uri without redirecting), the browser session
 * shared by two clients of one pool, and the discovery document listing every endpoint.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { FormBrowser as Browser } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('userInfo, revoke, logout and SSO', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let base: string;
  let appA: string;
  let appB: string;
  let secretApp: { id: string; secret: string };
  let noRevocation: string;
  const CB = 'http://localhost:3000/cb';
  const OUT = 'http://localhost:3000/signed-out';
  const PASSWORD = 'Passw0rd!long';

  const client = async (input: Partial<CreateUserPoolClientCommandInput>) => {
    const c = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...input }))).UserPoolClient!;
    return { id: c.ClientId!, secret: c.ClientSecret ?? '' };
  };
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
    CallbackURLs: [CB],
    LogoutURLs: [OUT],
    SupportedIdentityProviders: ['COGNITO'],
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const],
  };
  const authorizeUrl = (clientId: string, scope = 'openid email', extra: Record<string, string> = {}) =>
    `${base}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: CB, response_type: 'code', state: 'st', scope, ...extra }).toString()}`;
  const form = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body).toString() });
  /** Code → tokens for a public client (no PKCE: it is optional, OML §4.1). */
  const tokensFrom = async (callback: string, clientId: string) => {
    const code = new URL(callback).searchParams.get('code');
    assert.ok(code, callback);
    const res = await form('/oauth2/token', { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CB });
    assert.equal(res.status, 200);
    return (await res.json()) as { access_token: string; id_token?: string; refresh_token: string };
  };
  const userInfo = (token: string | undefined, method = 'GET') => fetch(`${base}/oauth2/userInfo`, { method, headers: token === undefined ? {} : { authorization: token } });

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'sso' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'sso-1' }));
    base = `${server.url}/_domains/sso-1`;
    appA = (await client(oauth)).id;
    appB = (await client(oauth)).id;
    secretApp = await client({ ...oauth, GenerateSecret: true });
    noRevocation = (await client({ ...oauth, EnableTokenRevocation: false })).id;
    const attributes = [
      { Name: 'email', Value: 'dave@example.com' }, { Name: 'email_verified', Value: 'true' },
      { Name: 'phone_number', Value: '+15555550123' }, { Name: 'phone_number_verified', Value: 'false' }, { Name: 'name', Value: 'Dave' },
    ];
    for (const username of ['dave', 'erin']) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attributes }));
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    }
  });
  after(() => server.stop());

  test('check 26: userInfo answers the scopes\' attributes as strings, with sub first and username last, by GET and POST', async () => {
    const tokens = await tokensFrom(await new Browser().signIn(authorizeUrl(appA, 'openid email'), 'dave', PASSWORD), appA);
    for (const method of ['GET', 'POST']) {
      const res = await userInfo(`Bearer ${tokens.access_token}`, method);
      assert.equal(res.status, 200, method);
      assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['sub', 'email', 'email_verified', 'username'], method);
      assert.equal(body.sub, decodeJwt(tokens.access_token).sub);
      assert.equal(body.email_verified, 'true', 'a string, unlike the ID token');
      assert.equal(body.username, 'dave');
    }
    const all = await tokensFrom(await new Browser().signIn(authorizeUrl(appA, 'openid'), 'dave', PASSWORD), appA);
    const every = (await (await userInfo(`Bearer ${all.access_token}`)).json()) as Record<string, unknown>;
    assert.equal(every.name, 'Dave');
    assert.equal(every.phone_number_verified, 'false');
  });

  test('check 26: no or a garbled header is 400 invalid_request; an API or unusable token is 401 invalid_token', async () => {
    const badRequest = 'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"';
    const badToken = 'error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."';
    for (const header of [undefined, 'Basic abc', 'Bearer']) {
      const res = await userInfo(header);
      assert.equal(res.status, 400, String(header));
      assert.equal(res.headers.get('www-authenticate'), badRequest);
    }
    const api = await idp.send(new InitiateAuthCommand({ ClientId: appA, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dave', PASSWORD } }));
    const oauthToken = (await tokensFrom(await new Browser().signIn(authorizeUrl(appA), 'erin', PASSWORD), appA)).access_token;
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'erin' }));
    for (const [why, token] of [['an API sign-in token', api.AuthenticationResult!.AccessToken!], ['garbage', 'a.b.c'], ['a disabled user', oauthToken]] as const) {
      const res = await userInfo(`Bearer ${token}`);
      assert.equal(res.status, 401, why);
      assert.equal(res.headers.get('www-authenticate'), badToken, why);
    }
    // A sound token of this pool presented at another pool's domain is that domain's "wrong pool".
    const other = (await idp.send(new CreateUserPoolCommand({ PoolName: 'elsewhere' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: 'sso-other' }));
    const valid = (await tokensFrom(await new Browser().signIn(authorizeUrl(appA), 'dave', PASSWORD), appA)).access_token;
    assert.equal((await userInfo(`Bearer ${valid}`)).status, 200);
    const elsewhere = await fetch(`${server.url}/_domains/sso-other/oauth2/userInfo`, { headers: { authorization: `Bearer ${valid}` } });
    assert.equal(elsewhere.status, 401, 'another pool\'s domain');
    assert.equal(elsewhere.headers.get('www-authenticate'), badToken);

    const old = (await tokensFrom(await new Browser().signIn(authorizeUrl(appA), 'dave', PASSWORD), appA)).access_token;
    await server.advanceClock(3601);
    const expired = await userInfo(`Bearer ${old}`);
    assert.equal(expired.status, 401, 'expired');
    assert.equal(expired.headers.get('www-authenticate'), badToken);
    const fresh = await userInfo(`Bearer ${(await tokensFrom(await new Browser().signIn(authorizeUrl(appA), 'dave', PASSWORD), appA)).access_token}`);
    assert.equal(fresh.status, 200, 'a token issued after the clock moved works');
  });

  test('check 27: /oauth2/revoke: an access token is unsupported_token_type, garbage is 200, revocation off is invalid_request, a bad secret is 401', async () => {
    const tokens = await tokensFrom(await new Browser().signIn(authorizeUrl(appA), 'dave', PASSWORD), appA);
    const access = await form('/oauth2/revoke', { token: tokens.access_token, client_id: appA });
    assert.equal(access.status, 400);
    assert.equal(await access.text(), '{"error":"unsupported_token_type"}');
    const garbage = await form('/oauth2/revoke', { token: 'garbage', client_id: appA });
    assert.equal(garbage.status, 200);
    assert.equal(await garbage.text(), '');
    assert.equal(await (await form('/oauth2/revoke', { client_id: appA })).text(), '{"error":"invalid_request"}');
    const off = await form('/oauth2/revoke', { token: tokens.refresh_token, client_id: noRevocation });
    assert.equal(off.status, 400);
    assert.equal(await off.text(), '{"error":"invalid_request"}');
    const wrong = await form('/oauth2/revoke', { token: tokens.refresh_token }, { authorization: `Basic ${Buffer.from(`${secretApp.id}:wrong`).toString('base64')}` });
    assert.equal(wrong.status, 401);
    assert.equal(await wrong.text(), '{"error":"invalid_client"}');
    assert.equal((await form('/oauth2/revoke', { token: tokens.refresh_token, client_id: secretApp.id })).status, 401, 'a secret client without its secret');
    assert.equal((await form('/oauth2/revoke', { token: tokens.refresh_token, client_id: appB })).status, 200, 'another client\'s token: 200, and left alone');
    assert.equal((await userInfo(`Bearer ${tokens.access_token}`)).status, 200);
    assert.equal((await form('/oauth2/revoke', { token: tokens.refresh_token, client_id: appA })).status, 200);
    assert.equal((await userInfo(`Bearer ${tokens.access_token}`)).status, 401, 'the family\'s access token is revoked with it');
    assert.equal((await form('/oauth2/revoke', { token: tokens.refresh_token, client_id: appA })).status, 200, 'revoking again is still 200');
  });

  test('check 28: one sign-in serves both clients of the pool; /logout ends it and clears the cookie', async () => {
    const browser = new Browser();
    const first = await browser.signIn(authorizeUrl(appA), 'dave', PASSWORD);
    assert.ok(browser.cookies.get('cognito'), 'a session cookie was set');
    const authTime = decodeJwt((await tokensFrom(first, appA)).access_token).auth_time;
    const sso = await browser.go(authorizeUrl(appB));
    assert.equal(sso.status, 302);
    assert.match(sso.location, /^http:\/\/localhost:3000\/cb\?code=[0-9a-f-]{36}&state=st$/u, 'straight back with a code, no page');
    assert.equal(decodeJwt((await tokensFrom(sso.location, appB)).access_token).auth_time, authTime, 'auth_time of the original sign-in');
    assert.match((await browser.go(authorizeUrl(appB, 'openid', { prompt: 'login' }))).location, /\/login\?/u, 'prompt=login shows the page anyway');

    const logout = await browser.go(`${base}/logout?client_id=${appA}&logout_uri=${encodeURIComponent(OUT)}&state=bye`);
    assert.equal(logout.status, 302);
    assert.equal(logout.location, `${OUT}?state=bye`);
    assert.equal(browser.cookies.has('cognito'), false, 'the cookie is cleared');
    assert.match((await browser.go(authorizeUrl(appB))).location, /\/login\?/u);

    // The stored session ended too: the old cookie value no longer signs anyone in.
    const replay = new Browser();
    const again = await replay.signIn(authorizeUrl(appA), 'dave', PASSWORD);
    assert.ok(again.includes('code='));
    const stolen = replay.cookies.get('cognito')!;
    await replay.go(`${base}/logout?client_id=${appA}&logout_uri=${encodeURIComponent(OUT)}`);
    const thief = new Browser();
    thief.cookies.set('cognito', stolen);
    assert.match((await thief.go(authorizeUrl(appA))).location, /\/login\?/u);
  });

  test('/logout with redirect_uri and response_type ends the session and starts a sign-in on /login', async () => {
    const browser = new Browser();
    await browser.signIn(authorizeUrl(appA), 'dave', PASSWORD);
    const query = `client_id=${appA}&redirect_uri=${encodeURIComponent(CB)}&response_type=code&state=again`;
    const hop = await browser.go(`${base}/logout?${query}`);
    assert.equal(hop.status, 302);
    assert.equal(hop.location, `${base}/login?${query}`);
    assert.equal(browser.cookies.has('cognito'), false);
  });

  test('check 29: an unregistered logout_uri, or neither mode, is the error page with no redirect', async () => {
    const browser = new Browser();
    await browser.signIn(authorizeUrl(appA), 'dave', PASSWORD);
    for (const query of [`client_id=${appA}&logout_uri=${encodeURIComponent('http://localhost:3000/elsewhere')}`, `client_id=${appA}`, `client_id=unknownclient1&logout_uri=${encodeURIComponent(OUT)}`, `client_id=${appA}&redirect_uri=${encodeURIComponent('http://localhost:9/x')}&response_type=code`]) {
      const page = await browser.go(`${base}/logout?${query}`);
      assert.equal(page.status, 400, query);
      assert.equal(page.location, '', 'no redirect');
      assert.match(page.text, /An error was encountered with the requested page\./u);
    }
    assert.match((await browser.go(authorizeUrl(appB))).location, /code=/u, 'a refused logout leaves the session alone');
  });

  test('check 30: discovery lists the domain\'s endpoints, and its issuer is the tokens\' iss', async () => {
    const doc = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    assert.equal(doc.authorization_endpoint, `${base}/oauth2/authorize`);
    assert.equal(doc.token_endpoint, `${base}/oauth2/token`);
    assert.equal(doc.userinfo_endpoint, `${base}/oauth2/userInfo`);
    assert.equal(doc.revocation_endpoint, `${base}/oauth2/revoke`);
    assert.equal(doc.end_session_endpoint, `${base}/logout`);
    assert.deepEqual(Object.keys(doc), [...Object.keys(doc)].sort());
    const tokens = await tokensFrom(await new Browser().signIn(authorizeUrl(appA), 'dave', PASSWORD), appA);
    assert.equal(decodeJwt(tokens.id_token!).iss, doc.issuer);
  });
});
