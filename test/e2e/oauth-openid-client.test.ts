/**
 * @module openid-client v6 against the server in the default local issuer mode over http (OML
 * §11.3, §14 check 31): discovery with allowInsecureRequests, a code flow with PKCE, state and
 * nonce where the sign-in is the hosted /login form, fetchUserInfo, the refresh grant and
 * revocation for a client with a secret; the tokens verified with aws-jwt-verify as well.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import * as oidc from 'openid-client';
import { FormBrowser as Browser } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('openid-client v6', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let issuer: string;
  let spa: string;
  let backend: { id: string; secret: string };
  const CB = 'http://localhost:3000/cb';
  const PASSWORD = 'Passw0rd!long';

  const client = async (input: Partial<CreateUserPoolClientCommandInput>) => {
    const c = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...input }))).UserPoolClient!;
    return { id: c.ClientId!, secret: c.ClientSecret ?? '' };
  };
  const oauth = { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code' as const], AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CB], SupportedIdentityProviders: ['COGNITO'] };
  const insecure = { execute: [oidc.allowInsecureRequests] };

  /** The tokens checked by aws-jwt-verify against the server's JWKS (read here: the library fetches over HTTPS only). */
  const verifyWithAws = async (tokens: { access_token: string; id_token?: string }, clientId: string) => {
    const jwks = await (await fetch(`${issuer}/.well-known/jwks.json`)).json();
    const access = JwtVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
    access.cacheJwks(jwks as never);
    const claims = await access.verify(tokens.access_token, { tokenUse: 'access' } as never);
    assert.equal(claims.client_id, clientId);
    const id = JwtVerifier.create({ issuer, audience: clientId, jwksUri: `${issuer}/.well-known/jwks.json` });
    id.cacheJwks(jwks as never);
    await id.verify(tokens.id_token!, { tokenUse: 'id' } as never);
  };

  /** Builds the authorize URL with openid-client, signs in through the form, and redeems the callback with the checks. */
  const codeFlow = async (config: oidc.Configuration) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CB, scope: 'openid email profile', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce });
    const callback = await new Browser().signIn(url.href, 'frank', PASSWORD);
    return oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'oidc' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'oidc-1' }));
    issuer = `${server.url}/${poolId}`;
    spa = (await client(oauth)).id;
    backend = await client({ ...oauth, GenerateSecret: true });
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'frank', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'frank@example.com' }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: 'Frank' }] }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'frank', Password: PASSWORD, Permanent: true }));
  });
  after(() => server.stop());

  test('discovery, a public code flow with PKCE, fetchUserInfo', async () => {
    const config = await oidc.discovery(new URL(issuer), spa, undefined, oidc.None(), insecure);
    assert.equal(config.serverMetadata().issuer, issuer);
    assert.equal(config.serverMetadata().authorization_endpoint, `${server.url}/_domains/oidc-1/oauth2/authorize`);
    const tokens = await codeFlow(config);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    const claims = tokens.claims()!;
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, spa);
    assert.equal(claims.email, 'frank@example.com');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.sub, claims.sub);
    assert.equal(info.email, 'frank@example.com');
    assert.equal(info.name, 'Frank');
    await verifyWithAws(tokens, spa);
  });

  test('a client with a secret: the code flow, the refresh grant without a new refresh token, revocation', async () => {
    const config = await oidc.discovery(new URL(issuer), backend.id, backend.secret, undefined, insecure);
    const tokens = await codeFlow(config);
    assert.ok(tokens.refresh_token);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.equal(refreshed.refresh_token, undefined, 'no rotation on this client');
    assert.equal(refreshed.claims()!.sub, tokens.claims()!.sub);
    await verifyWithAws(refreshed, backend.id);
    await oidc.tokenRevocation(config, tokens.refresh_token);
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (error: unknown) => (error as { error?: string }).error === 'invalid_grant');
    // AWS's WWW-Authenticate has no `Bearer` scheme (OML §7), so openid-client reports the bare 401 status.
    const statusOf = (error: unknown) => (error as { status?: number }).status ?? (error as { cause?: { status?: number } }).cause?.status;
    await assert.rejects(oidc.fetchUserInfo(config, refreshed.access_token, oidc.skipSubjectCheck), (error: unknown) => statusOf(error) === 401);
  });
});
