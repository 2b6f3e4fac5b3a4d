/**
 * @module What a sign-in hands out and how it ends (sign-in spec §5.3, §5.5, §7, §10, §11): JWT
 * headers and claims, refresh, revocation, GetUser, global sign-out, challenge sessions, the
 * confirmation Session of USER_AUTH, NEW_PASSWORD_REQUIRED and the JWKS documents.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH'] as const;

const part = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('tokens, refresh, revocation and sessions', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...FLOWS] }));
  });
  after(() => server.stop());

  const confirmed = async (username: string) => {
    await signUp(idp, clientId, username);
    return idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };
  const signIn = async (username: string) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }))).AuthenticationResult!;
  const refresh = (token: string) => idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token } }));

  test('RS256 JWTs with {kid, alg} headers and the claims of spec §10.3 and §10.4', async () => {
    await confirmed('claims');
    const result = await signIn('claims');
    const [accessHeader, idHeader] = [result.AccessToken!, result.IdToken!].map((t) => Buffer.from(t.split('.')[0]!, 'base64url').toString('utf8'));
    assert.match(accessHeader!, /^\{"kid":"[A-Za-z0-9+/]{43}=","alg":"RS256"\}$/u);
    assert.match(idHeader!, /^\{"kid":"[A-Za-z0-9+/]{43}=","alg":"RS256"\}$/u);
    assert.notEqual(part(result.AccessToken!, 0).kid, part(result.IdToken!, 0).kid, 'ID and access tokens are signed with different keys');

    const access = part(result.AccessToken!, 1);
    const id = part(result.IdToken!, 1);
    const issuer = `${server.url}/${poolId}`;
    assert.deepEqual(Object.keys(access), ['sub', 'iss', 'client_id', 'origin_jti', 'event_id', 'token_use', 'scope', 'auth_time', 'exp', 'iat', 'jti', 'username']);
    assert.deepEqual([access.iss, access.client_id, access.token_use, access.scope, access.username], [issuer, clientId, 'access', 'aws.cognito.signin.user.admin', 'claims']);
    assert.equal(access.aud, undefined);
    assert.equal((access.exp as number) - (access.iat as number), 3600);
    assert.deepEqual([id.aud, id.token_use, id['cognito:username'], id.email, id.email_verified, id.iss], [clientId, 'id', 'claims', 'claims@example.com', true, issuer]);
    assert.equal(id.origin_jti, access.origin_jti);
    assert.equal(id.sub, access.sub);
  });

  test('REFRESH_TOKEN_AUTH: new ID and access tokens in the same family, no new refresh token; garbage is refused', async () => {
    await confirmed('refresher');
    const first = await signIn('refresher');
    const again = await refresh(first.RefreshToken!);
    assert.equal(again.AuthenticationResult!.RefreshToken, undefined);
    assert.equal(part(again.AuthenticationResult!.AccessToken!, 1).origin_jti, part(first.AccessToken!, 1).origin_jti);
    assert.notEqual(part(again.AuthenticationResult!.AccessToken!, 1).jti, part(first.AccessToken!, 1).jti);
    const viaGetTokens = await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.RefreshToken! }));
    assert.ok(viaGetTokens.AuthenticationResult?.IdToken);
    await assertRejects(() => refresh('garbage'), { type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    await assertRejects(() => refresh(`${first.RefreshToken!.slice(0, -4)}AAAA`), { type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });

  test('GetUser answers for the access token; RevokeToken ends its family on the API', async () => {
    await confirmed('revoked');
    const result = await signIn('revoked');
    const me = await idp.send(new GetUserCommand({ AccessToken: result.AccessToken! }));
    assert.equal(me.Username, 'revoked');
    assert.ok(me.UserAttributes!.some((a) => a.Name === 'email' && a.Value === 'revoked@example.com'));
    assert.ok(me.UserAttributes!.some((a) => a.Name === 'sub'));
    await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: result.RefreshToken! }));
    await assertRejects(() => refresh(result.RefreshToken!), { type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: result.AccessToken! })), { type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    // Another sign-in of the same user is another family and still works.
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: (await signIn('revoked')).AccessToken! }))).Username, 'revoked');
  });

  test('GlobalSignOut and AdminUserGlobalSignOut end every family of the user', async () => {
    await confirmed('everywhere');
    const [a, b] = [await signIn('everywhere'), await signIn('everywhere')];
    await idp.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken! }));
    for (const token of [a, b]) {
      await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: token.AccessToken! })), { type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
      await assertRejects(() => refresh(token.RefreshToken!), { type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    }
    const c = await signIn('everywhere');
    await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'everywhere' }));
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: c.AccessToken! })), { type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  test('access tokens that are not ours, not access tokens, or expired are refused with the §11 texts', async () => {
    await confirmed('checked');
    const result = await signIn('checked');
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: result.IdToken! })), { type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: `${result.AccessToken!.slice(0, -6)}AAAAAA` })), { type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: 'not.a.token' })), { type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    await server.advanceClock(3601);
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: result.AccessToken! })), { type: 'NotAuthorizedException', message: 'Access Token has expired' });
  });

  test("USER_AUTH with ConfirmSignUp's Session signs in once, without credentials", async () => {
    const { Session } = await confirmed('auto');
    const auth = () => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'auto' }, Session }));
    const out = await auth();
    assert.equal(part(out.AuthenticationResult!.IdToken!, 1)['cognito:username'], 'auto');
    await assertRejects(auth, { type: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' });
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'auto' }, Session: 'x'.repeat(60) })), {
      type: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  test("the confirmation Session expires with the client's AuthSessionValidity and belongs to one user", async () => {
    const { Session } = await confirmed('late');
    await confirmed('other');
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'other' }, Session })), {
      type: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    const { Session: fresh } = await confirmed('later');
    await server.advanceClock(181);
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'later' }, Session: fresh })), {
      type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  test('USER_AUTH without a preferred factor offers SELECT_CHALLENGE; answering PASSWORD signs in', async () => {
    await confirmed('chooser');
    const start = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'chooser' } }));
    assert.equal(start.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(start.AvailableChallenges, ['PASSWORD_SRP', 'PASSWORD']);
    const answer = () =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SELECT_CHALLENGE', Session: start.Session, ChallengeResponses: { USERNAME: 'chooser', ANSWER: 'PASSWORD', PASSWORD } }));
    assert.ok((await answer()).AuthenticationResult?.AccessToken);
    await assertRejects(answer, { type: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' });
    const direct = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'chooser', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD } }));
    assert.ok(direct.AuthenticationResult?.AccessToken);
  });

  test('NEW_PASSWORD_REQUIRED for an invited user: JSON-string parameters, policy, then CONFIRMED with tokens', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invited', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }] }));
    const start = await idp.send(new AdminInitiateAuthCommand({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', UserPoolId: poolId, ClientId: clientId, AuthParameters: { USERNAME: 'invited', PASSWORD: 'Temp-Passw0rd!' } }));
    assert.equal(start.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(start.ChallengeParameters!.USER_ID_FOR_SRP, 'invited');
    assert.deepEqual(JSON.parse(start.ChallengeParameters!.requiredAttributes!), []);
    assert.equal(JSON.parse(start.ChallengeParameters!.userAttributes!).email, 'invited@example.com');
    const respond = (password: string) =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: start.Session, ChallengeResponses: { USERNAME: 'invited', NEW_PASSWORD: password } }));
    const weak = await respond('short').catch((e: Error) => e);
    assert.equal((weak as Error).name, 'InvalidPasswordException');
    const done = await respond('New-Passw0rd!');
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'invited' }))).UserStatus, 'CONFIRMED');
    const later = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'invited', PASSWORD: 'New-Passw0rd!' } }));
    assert.ok(later.AuthenticationResult?.AccessToken, 'the new password is the password now');
  });

  test('JWKS and discovery documents on /<poolId>/.well-known/', async () => {
    await confirmed('keys');
    const result = await signIn('keys');
    const res = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
    assert.equal(res.status, 200);
    const text = await res.text();
    const doc = JSON.parse(text) as { keys: Record<string, string>[] };
    assert.equal(doc.keys.length, 2);
    for (const key of doc.keys) assert.deepEqual(Object.keys(key), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.deepEqual(new Set(doc.keys.map((k) => k.kid)), new Set([part(result.AccessToken!, 0).kid, part(result.IdToken!, 0).kid]));
    const discovery = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(discovery.issuer, part(result.IdToken!, 1).iss);
    assert.equal(discovery.jwks_uri, `${server.url}/${poolId}/.well-known/jwks.json`);
    assert.equal((await fetch(`${server.url}/us-east-1_Missing99/.well-known/jwks.json`)).status, 404);
  });
});
