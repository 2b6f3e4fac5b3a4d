/**
 * @module The domain router and POST /oauth2/token with grant_type=client_credentials over raw HTTP
 * (OML §1.2, §6, §10.1; docs/oauth.md): Host-header and path-prefix routing on any port, plain 404s,
 * every §6 error row of the grant with its bare body and headers, the token verified by
 * aws-jwt-verify against the server's JWKS, and the discovery documents.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUserCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { assertRejects } from '../helpers/cognito.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

describe('domain router and client_credentials', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let machine: { id: string; secret: string };
  let publicClient: string;
  let noFlow: { id: string; secret: string };
  let stranger: { id: string; secret: string };
  const FORM = 'application/x-www-form-urlencoded';

  const raw = (method: string, path: string, options: { host?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const target = new URL(server.url);
      const req = request({ host: target.hostname, port: target.port, method, path, headers: { ...(options.host ? { host: options.host } : {}), ...options.headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(options.body);
    });
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const token = (body: string, headers: Record<string, string> = {}, path = '/_domains/tok-1/oauth2/token') =>
    raw('POST', path, { headers: { 'content-type': FORM, ...headers }, body });
  const client = async (pool: string, input: Partial<CreateUserPoolClientCommandInput>) => {
    const c = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'c', ...input }))).UserPoolClient!;
    return { id: c.ClientId!, secret: c.ClientSecret ?? '' };
  };
  const m2m = { GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials' as const], AllowedOAuthScopes: ['api/read', 'api/write'] };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'm2m' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tok-1' }));
    const scopes = [{ ScopeName: 'read', ScopeDescription: 'r' }, { ScopeName: 'write', ScopeDescription: 'w' }];
    await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: scopes }));
    machine = await client(poolId, m2m);
    publicClient = (await client(poolId, {})).id;
    noFlow = await client(poolId, { GenerateSecret: true, AllowedOAuthScopes: ['api/read'] });
    const other = (await idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    await idp.send(new CreateResourceServerCommand({ UserPoolId: other, Identifier: 'api', Name: 'API', Scopes: scopes }));
    stranger = await client(other, m2m);
  });
  after(() => server.stop());

  const assertOAuthError = (answer: Answer, error: string, status = 400) => {
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.text, JSON.stringify({ error }), 'a bare error member, no error_description');
    assert.equal(answer.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers.pragma, 'no-cache');
  };

  test('client_credentials by Basic: an access token only, all custom scopes when none is asked, verified by aws-jwt-verify', async () => {
    const answer = await token('grant_type=client_credentials', { authorization: basic(machine.id, machine.secret) });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers.pragma, 'no-cache');
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    const issuer = `${server.url}/${poolId}`;
    const verifier = JwtVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
    // aws-jwt-verify fetches keys over HTTPS only; the server's JWKS is read here and handed to it.
    verifier.cacheJwks(JSON.parse((await raw('GET', `/${poolId}/.well-known/jwks.json`)).text));
    const claims = await verifier.verify(String(body.access_token), { scope: ['api/read'] } as never);
    assert.deepEqual(Object.keys(claims), ['sub', 'token_use', 'scope', 'auth_time', 'iss', 'exp', 'iat', 'version', 'jti', 'client_id']);
    assert.equal(claims.sub, machine.id);
    assert.equal(claims.client_id, machine.id);
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.scope, 'api/read api/write');
    assert.equal(claims.version, 2);
    assert.equal(claims.auth_time, claims.iat);
    assert.equal(Number(claims.exp) - Number(claims.iat), 3600);
    // No user and no aws.cognito.signin.user.admin scope: the token cannot reach user operations.
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: String(body.access_token) })), { type: 'NotAuthorizedException', message: 'Access Token does not have required scopes' });
  });

  test('client_secret_post with a scope grants just that scope; the same answer by Host header on any port', async () => {
    const form = `grant_type=client_credentials&client_id=${machine.id}&client_secret=${encodeURIComponent(machine.secret)}&scope=api%2Fwrite`;
    const viaPath = await token(form);
    assert.equal(viaPath.status, 200, viaPath.text);
    const scopeOf = (a: Answer) => JSON.parse(Buffer.from((JSON.parse(a.text) as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString()).scope;
    assert.equal(scopeOf(viaPath), 'api/write');
    for (const host of ['tok-1.auth.localhost', 'tok-1.auth.localhost:8443', 'TOK-1.auth.us-east-1.amazoncognito.com', 'tok-1.auth.eu-west-1.amazoncognito.com:443']) {
      const viaHost = await raw('POST', '/oauth2/token', { host, headers: { 'content-type': `${FORM}; charset=UTF-8` }, body: form });
      assert.equal(viaHost.status, 200, `${host}: ${viaHost.text}`);
      assert.equal(scopeOf(viaHost), 'api/write');
    }
  });

  test('every client_credentials error row of OML §6.3, with its status and bare body', async () => {
    const auth = { authorization: basic(machine.id, machine.secret) };
    assertOAuthError(await token('grant_type=client_credentials', { ...auth, 'content-type': 'application/json' }), 'invalid_request');
    assertOAuthError(await token('', auth), 'invalid_request');
    assertOAuthError(await token('scope=api%2Fread', auth), 'invalid_request');
    assertOAuthError(await token('grant_type=client_credentials&grant_type=client_credentials', auth), 'invalid_request');
    assertOAuthError(await token(`grant_type=client_credentials&client_secret=${machine.secret}`, auth), 'invalid_request');
    assertOAuthError(await token('grant_type=password', auth), 'unsupported_grant_type');
    // A client_credentials client has neither of the browser grants (oauth-code-flow.test.ts covers them).
    assertOAuthError(await token('grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fa', auth), 'unauthorized_client');
    assertOAuthError(await token('grant_type=refresh_token&refresh_token=x', auth), 'unauthorized_client');
    assertOAuthError(await token('grant_type=client_credentials'), 'invalid_client');
    assertOAuthError(await token('grant_type=client_credentials', { authorization: basic(machine.id, 'wrong') }), 'invalid_client');
    assertOAuthError(await token('grant_type=client_credentials', { authorization: basic('unknownclient1', 'x') }), 'invalid_client');
    assertOAuthError(await token('grant_type=client_credentials', { authorization: 'Basic !!!' }), 'invalid_client');
    assertOAuthError(await token('grant_type=client_credentials', { authorization: basic(machine.id, machine.secret).replace('Basic', 'Bearer') }), 'invalid_client');
    assertOAuthError(await token(`grant_type=client_credentials&client_id=${machine.id}`), 'invalid_client');
    assertOAuthError(await token(`grant_type=client_credentials&client_id=${publicClient}`), 'invalid_client');
    assertOAuthError(await token(`grant_type=client_credentials&client_id=${machine.id}`, { authorization: basic(stranger.id, stranger.secret) }), 'invalid_client');
    assertOAuthError(await token('grant_type=client_credentials', { authorization: basic(stranger.id, stranger.secret) }), 'invalid_client');
    assertOAuthError(await token('grant_type=client_credentials', { authorization: basic(noFlow.id, noFlow.secret) }), 'unauthorized_client');
    assertOAuthError(await token('grant_type=client_credentials&scope=api%2Fdelete', auth), 'invalid_scope');
    assertOAuthError(await token('grant_type=client_credentials&scope=openid', auth), 'invalid_scope');
    assertOAuthError(await token('grant_type=client_credentials&scope=api%2Fread+openid', auth), 'invalid_scope');
    assertOAuthError(await raw('GET', '/_domains/tok-1/oauth2/token'), 'invalid_request', 405);
  });

  test('unknown domains, and paths a domain does not serve yet, are plain 404s; the API keeps its host', async () => {
    const notFound = (a: Answer) => {
      assert.equal(a.status, 404, a.text);
      assert.equal(a.text, 'Not Found');
      assert.equal(a.headers['content-type'], 'text/plain;charset=UTF-8');
    };
    notFound(await raw('POST', '/oauth2/token', { host: 'nope-1.auth.localhost:9000', headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' }));
    notFound(await raw('POST', '/_domains/nope-1/oauth2/token', { headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' }));
    for (const path of ['/oauth2/idpresponse', '/saml2/idpresponse', '/', '/x%ZZ']) {
      notFound(await raw('GET', path, { host: 'tok-1.auth.localhost' }));
      notFound(await raw('GET', `/_domains/tok-1${path}`));
    }
    notFound(await raw('POST', '/', { host: 'tok-1.auth.us-east-1.amazoncognito.com', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{}' }));
    assert.equal((await idp.send(new CreateUserPoolCommand({ PoolName: 'api-still-here' }))).UserPool!.Name, 'api-still-here');
  });

  test('discovery lists the domain token endpoint only once the pool has a domain, on the pool path and the domain', async () => {
    const issuer = `${server.url}/${poolId}`;
    const doc = JSON.parse((await raw('GET', `/${poolId}/.well-known/openid-configuration`)).text) as Record<string, unknown>;
    assert.equal(doc.issuer, issuer);
    assert.equal(doc.token_endpoint, `${server.url}/_domains/tok-1/oauth2/token`);
    assert.equal(doc.authorization_endpoint, `${server.url}/_domains/tok-1/oauth2/authorize`);
    assert.equal(doc.userinfo_endpoint, `${server.url}/_domains/tok-1/oauth2/userInfo`);
    assert.equal(doc.revocation_endpoint, `${server.url}/_domains/tok-1/oauth2/revoke`);
    assert.equal(doc.end_session_endpoint, `${server.url}/_domains/tok-1/logout`);
    assert.deepEqual(Object.keys(doc), [...Object.keys(doc)].sort());
    const onDomain = await raw('GET', '/.well-known/openid-configuration', { host: 'tok-1.auth.localhost' });
    assert.deepEqual(JSON.parse(onDomain.text), doc);
    assert.deepEqual(JSON.parse((await raw('GET', '/_domains/tok-1/.well-known/openid-configuration')).text), doc);
    const bare = (await idp.send(new CreateUserPoolCommand({ PoolName: 'no-domain' }))).UserPool!.Id!;
    const plain = JSON.parse((await raw('GET', `/${bare}/.well-known/openid-configuration`)).text) as Record<string, unknown>;
    assert.equal(plain.token_endpoint, `${server.url}/${bare}/token`);
  });

  test('after DeleteUserPoolDomain the domain answers 404 and discovery drops it', async () => {
    const pool = (await idp.send(new CreateUserPoolCommand({ PoolName: 'short-lived' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'tok-2' }));
    assertOAuthError(await token('grant_type=client_credentials', {}, '/_domains/tok-2/oauth2/token'), 'invalid_client');
    await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: 'tok-2' }));
    assert.equal((await token('grant_type=client_credentials', {}, '/_domains/tok-2/oauth2/token')).status, 404);
    assert.equal((await raw('POST', '/oauth2/token', { host: 'tok-2.auth.localhost', headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' })).status, 404);
    const doc = JSON.parse((await raw('GET', `/${pool}/.well-known/openid-configuration`)).text) as Record<string, unknown>;
    assert.equal(doc.token_endpoint, `${server.url}/${pool}/token`);
  });

  test('a custom domain (a dotted name with CustomDomainConfig) is created and reached by its Host on any port; a dotted name without the config is refused', async () => {
    const pool = (await idp.send(new CreateUserPoolCommand({ PoolName: 'custom' }))).UserPool!.Id!;
    const certificate = { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' };
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'login.shop.test' })), { type: 'InvalidParameterException', message: 'Invalid domain name: login.shop.test' });
    const created = await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'login.shop.test', CustomDomainConfig: certificate }));
    assert.match(created.CloudFrontDomain!, /^d[0-9a-f]{13}\.cloudfront\.net$/u);
    assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool!.CustomDomain, 'login.shop.test');
    assert.deepEqual((await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'login.shop.test' }))).DomainDescription!.CustomDomainConfig, certificate);
    for (const host of ['login.shop.test', 'LOGIN.shop.test:8443']) {
      const answer = await raw('POST', '/oauth2/token', { host, headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' });
      assert.equal(answer.status, 400, `${host}: ${answer.text}`);
      assert.equal(answer.text, '{"error":"invalid_client"}', 'the domain answered, as OAuth');
    }
    // The API and the pool's own documents keep working on that host.
    assert.equal((await raw('GET', `/${pool}/.well-known/jwks.json`, { host: 'login.shop.test' })).status, 200);
    await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: 'login.shop.test' }));
    assert.equal((await raw('POST', '/oauth2/token', { host: 'login.shop.test', headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' })).status, 404);
  });
});
