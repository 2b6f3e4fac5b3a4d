/**
 * @module The authorization-code flow end to end (OML §6, §10, §14 checks 17–25): sign-in through
 * the hosted /login form, the code redeemed at /oauth2/token with PKCE by a public client and with
 * Basic and post by a secret one, every invalid_grant case (reuse, expiry by the moved clock, wrong
 * verifier, redirect_uri or client), the refresh_token grant with and without rotation, the claims
 * the tokens carry, the admin scope at GetUser, and the OAuth refresh token at InitiateAuth.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { decodeJwt } from 'jose';
import { assertRejects } from '../helpers/cognito.ts';
import { FormBrowser as Browser, pkcePair } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Answer {
  status: number;
  text: string;
  headers: Headers;
  json: Record<string, unknown>;
}

describe('authorization code flow', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let base: string;
  let web: string;
  let rotating: string;
  let confidential: { id: string; secret: string };
  let narrow: string;
  const CB = 'http://localhost:3000/cb';
  const PASSWORD = 'Passw0rd!long';

  const client = async (input: Partial<CreateUserPoolClientCommandInput>) => {
    const c = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...input }))).UserPoolClient!;
    return { id: c.ClientId!, secret: c.ClientSecret ?? '' };
  };
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin', 'api/read'],
    CallbackURLs: [CB, 'http://localhost:3000/other'],
    SupportedIdentityProviders: ['COGNITO'],
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH' as const, 'ALLOW_USER_PASSWORD_AUTH' as const],
  };
  const authorize = (params: Record<string, string>) => `${base}/oauth2/authorize?${new URLSearchParams(params).toString()}`;
  const token = async (form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const assertError = (answer: Answer, error: string, why: string) => {
    assert.equal(answer.status, 400, `${why}: ${answer.text}`);
    assert.equal(answer.text, JSON.stringify({ error }), why);
  };
  /** Signs in through /login and answers the code and the verifier it was bound to. */
  const codeFor = async (clientId: string, extra: Record<string, string> = {}, browser = new Browser()) => {
    const { verifier, challenge } = pkcePair();
    const params = { client_id: clientId, redirect_uri: CB, response_type: 'code', state: 'st', scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', ...extra };
    const callback = new URL(await browser.signIn(authorize(params), 'carol', PASSWORD));
    assert.equal(`${callback.origin}${callback.pathname}`, CB);
    assert.equal(callback.searchParams.get('state'), 'st');
    return { code: callback.searchParams.get('code')!, verifier };
  };
  const redeem = (clientId: string, code: string, verifier: string, extra: Record<string, string> = {}) =>
    token({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CB, code_verifier: verifier, ...extra });

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'code-flow' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'flow-1' }));
    await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }));
    base = `${server.url}/_domains/flow-1`;
    web = (await client(oauth)).id;
    rotating = (await client({ ...oauth, RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } })).id;
    confidential = await client({ ...oauth, GenerateSecret: true });
    narrow = (await client({ ...oauth, ReadAttributes: ['email', 'name'] })).id;
    const attributes = [{ Name: 'email', Value: 'carol@example.com' }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: 'Carol' }, { Name: 'phone_number', Value: '+15555550100' }];
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol', MessageAction: 'SUPPRESS', UserAttributes: attributes }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'carol', Password: PASSWORD, Permanent: true }));
  });
  after(() => server.stop());

  test('check 17: a code and its verifier give ID, access and refresh tokens, once (check 18: then invalid_grant)', async () => {
    const { code, verifier } = await codeFor(web, { nonce: 'nonce-17' });
    const answer = await redeem(web, code, verifier);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers.get('content-type'), 'application/json;charset=UTF-8');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(answer.json), ['id_token', 'access_token', 'refresh_token', 'expires_in', 'token_type']);
    assert.equal(answer.json.token_type, 'Bearer');
    assert.equal(answer.json.expires_in, 3600);
    assertError(await redeem(web, code, verifier), 'invalid_grant', 'a second redemption');
  });

  test('check 18: wrong verifier, no verifier, another redirect_uri or client, an unknown code — each invalid_grant, and each spends the code', async () => {
    for (const [why, extra, clientId] of [
      ['wrong verifier', { code_verifier: pkcePair().verifier }, web],
      ['no verifier', { code_verifier: '' }, web],
      ['another registered redirect_uri', { redirect_uri: 'http://localhost:3000/other' }, web],
      ['another client', {}, narrow],
    ] as const) {
      const { code, verifier } = await codeFor(web);
      const form: Record<string, string> = { ...extra };
      if (form.code_verifier === '') delete form.code_verifier;
      const sent = await token({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CB, ...(extra.code_verifier === undefined ? { code_verifier: verifier } : {}), ...form });
      assertError(sent, 'invalid_grant', why);
      assertError(await redeem(web, code, verifier), 'invalid_grant', `${why}: the code is spent`);
    }
    assertError(await redeem(web, '9f1c2e5a-0000-4000-8000-000000000000', pkcePair().verifier), 'invalid_grant', 'unknown code');
  });

  test('check 19: a client with a secret redeems by Basic or by post; without the secret it is invalid_client', async () => {
    const basic = `Basic ${Buffer.from(`${confidential.id}:${confidential.secret}`).toString('base64')}`;
    const first = await codeFor(confidential.id);
    const viaBasic = await token({ grant_type: 'authorization_code', code: first.code, redirect_uri: CB, code_verifier: first.verifier }, { authorization: basic });
    assert.equal(viaBasic.status, 200, viaBasic.text);
    const second = await codeFor(confidential.id);
    assertError(await redeem(confidential.id, second.code, second.verifier), 'invalid_client', 'no secret');
    assertError(await redeem(confidential.id, second.code, second.verifier, { client_secret: 'wrong' }), 'invalid_client', 'wrong secret');
    assert.equal((await redeem(confidential.id, second.code, second.verifier, { client_secret: confidential.secret })).status, 200, 'client_secret_post, and the failed tries did not spend the code');
    assertError(await redeem(web, 'x', 'y', { client_secret: 'anything' }), 'invalid_client', 'a public client sent a secret');
  });

  test('check 20: unknown grant_type, missing grant_type and missing members', async () => {
    assertError(await token({ grant_type: 'password', client_id: web }), 'unsupported_grant_type', 'password');
    assertError(await token({ client_id: web, code: 'x' }), 'invalid_request', 'no grant_type');
    assertError(await token({ grant_type: 'authorization_code', client_id: web, redirect_uri: CB }), 'invalid_request', 'no code');
    assertError(await token({ grant_type: 'authorization_code', client_id: web, code: 'x' }), 'invalid_request', 'no redirect_uri');
    assertError(await token({ grant_type: 'refresh_token', client_id: web }), 'invalid_request', 'no refresh_token');
  });

  test('a browser app may call the token endpoint from its own origin (CORS preflight and answer)', async () => {
    const preflight = await fetch(`${base}/oauth2/token`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-user-agent' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type,x-amz-user-agent');
    const answer = await token({ grant_type: 'password', client_id: web }, { origin: 'http://localhost:3000' });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  });

  test('check 23: the ID token has nonce, at_hash, aud, token_use, the cognito-idp issuer; attributes follow the scopes; the access token has the granted scopes', async () => {
    const { code, verifier } = await codeFor(web, { nonce: 'n-23', scope: 'openid email api/read' });
    const answer = await redeem(web, code, verifier);
    const id = decodeJwt(String(answer.json.id_token));
    const access = decodeJwt(String(answer.json.access_token));
    const issuer = `${server.url}/${poolId}`;
    assert.equal(id.nonce, 'n-23');
    assert.equal(id.at_hash, createHash('sha256').update(String(answer.json.access_token)).digest().subarray(0, 16).toString('base64url'));
    assert.equal(Object.keys(id)[0], 'at_hash');
    assert.equal(id.aud, web);
    assert.equal(id.token_use, 'id');
    assert.equal(id.iss, issuer);
    assert.equal(id.email, 'carol@example.com');
    assert.equal(id.email_verified, true);
    assert.equal(id.name, undefined, 'profile was not granted');
    assert.equal(id.phone_number, undefined);
    assert.equal(access.scope, 'openid email api/read');
    assert.equal(access.version, 2);
    assert.equal(access.username, 'carol');
    assert.equal(access.iss, issuer);
    const jwks = await (await fetch(`${issuer}/.well-known/jwks.json`)).json();
    const idVerifier = JwtVerifier.create({ issuer, audience: web, jwksUri: `${issuer}/.well-known/jwks.json` });
    idVerifier.cacheJwks(jwks as never);
    await idVerifier.verify(String(answer.json.id_token), { tokenUse: 'id' } as never);

    // openid alone: every readable attribute; ReadAttributes limits whatever the scopes say.
    const openIdOnly = await codeFor(web, { scope: 'openid' });
    const all = decodeJwt(String((await redeem(web, openIdOnly.code, openIdOnly.verifier)).json.id_token));
    assert.equal(all.name, 'Carol');
    assert.equal(all.phone_number, '+15555550100');
    const limited = await codeFor(narrow, { scope: 'openid profile' });
    const narrowed = decodeJwt(String((await redeem(narrow, limited.code, limited.verifier)).json.id_token));
    assert.equal(narrowed.name, 'Carol');
    assert.equal(narrowed.email, undefined, 'readable, but not in the profile scope');

    const noOpenId = await codeFor(web, { scope: 'api/read' });
    const withoutId = await redeem(web, noOpenId.code, noOpenId.verifier);
    assert.deepEqual(Object.keys(withoutId.json), ['access_token', 'refresh_token', 'expires_in', 'token_type'], 'no ID token without openid');
  });

  test('check 24: GetUser needs aws.cognito.signin.user.admin in an OAuth access token', async () => {
    const without = await codeFor(web, { scope: 'openid email' });
    const plain = await redeem(web, without.code, without.verifier);
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: String(plain.json.access_token) })), { type: 'NotAuthorizedException', message: 'Access Token does not have required scopes' });
    const withAdmin = await codeFor(web, { scope: 'openid aws.cognito.signin.user.admin' });
    const admin = await redeem(web, withAdmin.code, withAdmin.verifier);
    const user = await idp.send(new GetUserCommand({ AccessToken: String(admin.json.access_token) }));
    assert.equal(user.Username, 'carol');
  });

  test('check 21: the refresh_token grant gives new tokens with the granted scopes and no refresh token; revoked, it is invalid_grant', async () => {
    const { code, verifier } = await codeFor(web, { scope: 'openid email api/read' });
    const first = await redeem(web, code, verifier);
    const refresh = String(first.json.refresh_token);
    const again = await token({ grant_type: 'refresh_token', client_id: web, refresh_token: refresh });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(Object.keys(again.json), ['id_token', 'access_token', 'expires_in', 'token_type']);
    const access = decodeJwt(String(again.json.access_token));
    assert.equal(access.scope, 'openid email api/read');
    assert.equal(access.origin_jti, decodeJwt(String(first.json.access_token)).origin_jti, 'same family');
    assertError(await token({ grant_type: 'refresh_token', client_id: narrow, refresh_token: refresh }), 'invalid_grant', 'another client');
    assertError(await token({ grant_type: 'refresh_token', client_id: web, refresh_token: 'garbage' }), 'invalid_grant', 'garbage');

    const revoked = await fetch(`${base}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: refresh, client_id: web }).toString() });
    assert.equal(revoked.status, 200);
    assertError(await token({ grant_type: 'refresh_token', client_id: web, refresh_token: refresh }), 'invalid_grant', 'revoked');
    // The family's access tokens go with it.
    const info = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${String(again.json.access_token)}` } });
    assert.equal(info.status, 401);
  });

  test('a rotating client gets a new refresh token from the refresh grant, and the old one is spent', async () => {
    const { code, verifier } = await codeFor(rotating);
    const first = await redeem(rotating, code, verifier);
    const rotated = await token({ grant_type: 'refresh_token', client_id: rotating, refresh_token: String(first.json.refresh_token) });
    assert.equal(rotated.status, 200, rotated.text);
    assert.deepEqual(Object.keys(rotated.json), ['id_token', 'access_token', 'refresh_token', 'expires_in', 'token_type']);
    assert.notEqual(rotated.json.refresh_token, first.json.refresh_token);
    assert.equal((await token({ grant_type: 'refresh_token', client_id: rotating, refresh_token: String(rotated.json.refresh_token) })).status, 200);
    assertError(await token({ grant_type: 'refresh_token', client_id: rotating, refresh_token: String(first.json.refresh_token) }), 'invalid_grant', 'rotated out');
  });

  test('check 25: an OAuth refresh token works with InitiateAuth REFRESH_TOKEN_AUTH and keeps the granted scopes', async () => {
    const { code, verifier } = await codeFor(web, { scope: 'openid email aws.cognito.signin.user.admin' });
    const first = await redeem(web, code, verifier);
    const refreshed = await idp.send(new InitiateAuthCommand({ ClientId: web, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: String(first.json.refresh_token) } }));
    const access = decodeJwt(refreshed.AuthenticationResult!.AccessToken!);
    assert.equal(access.username, 'carol');
    assert.equal(access.scope, 'openid email aws.cognito.signin.user.admin', 'the family keeps what was granted (Amplify refreshes hosted sign-ins this way)');
    assert.equal(access.origin_jti, decodeJwt(String(first.json.access_token)).origin_jti);
    const info = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${refreshed.AuthenticationResult!.AccessToken!}` } });
    assert.equal(info.status, 200, 'the refreshed token still opens userInfo');
    assert.equal(refreshed.AuthenticationResult!.RefreshToken, undefined);

    const noOpenId = await codeFor(web, { scope: 'aws.cognito.signin.user.admin' });
    const bare = await redeem(web, noOpenId.code, noOpenId.verifier);
    const again = await idp.send(new InitiateAuthCommand({ ClientId: web, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: String(bare.json.refresh_token) } }));
    assert.equal(again.AuthenticationResult!.IdToken, undefined, 'no ID token for a grant without openid');
    assert.equal(decodeJwt(again.AuthenticationResult!.AccessToken!).scope, 'aws.cognito.signin.user.admin');
  });

  test('check 18: a code is good for five minutes (the clock moved through the control API)', async () => {
    const early = await codeFor(web);
    const late = await codeFor(web);
    await server.advanceClock(299);
    assert.equal((await redeem(web, early.code, early.verifier)).status, 200, 'just inside five minutes');
    await server.advanceClock(2);
    assertError(await redeem(web, late.code, late.verifier), 'invalid_grant', 'expired');
  });
});
