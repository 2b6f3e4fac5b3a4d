/**
 * @module Refresh-token rotation through the real SDK (sign-in spec §10.7): GetTokensFromRefreshToken
 * on a client with RefreshTokenRotation enabled hands out a new refresh token and retires the
 * submitted one after RetryGracePeriodSeconds; a reuse after that is RefreshTokenReuseException and
 * ends the family. REFRESH_TOKEN_AUTH never rotates; a disabled client is unchanged; sign-out wins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const REUSED = { type: 'RefreshTokenReuseException', message: 'Refresh token has been used.' };
const REVOKED = { type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };
const INVALID = AWS_ERRORS.invalidRefreshToken;

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('refresh-token rotation', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let users = 0;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId } = await createPool(idp, {}, { ExplicitAuthFlows: FLOWS }));
  });
  after(() => server.stop());

  const appClient = async (settings: Partial<CreateUserPoolClientCommandInput> = {}) =>
    (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'rotation', ExplicitAuthFlows: FLOWS, ...settings }))).UserPoolClient!.ClientId!;
  const rotating = (grace: number, settings: Partial<CreateUserPoolClientCommandInput> = {}) =>
    appClient({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: grace }, ...settings });

  /** A new confirmed user signed in through `clientId`. */
  const signedIn = async (clientId: string) => {
    const username = `rotor${++users}`;
    await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
    const out = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }));
    return out.AuthenticationResult!;
  };
  const getTokens = async (clientId: string, token: string) =>
    (await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token }))).AuthenticationResult!;
  const initiateRefresh = async (clientId: string, token: string) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token } }))).AuthenticationResult!;

  test('CreateUserPoolClient keeps RefreshTokenRotation and DescribeUserPoolClient echoes it', async () => {
    const clientId = await rotating(7);
    const described = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.deepEqual(described.UserPoolClient!.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 7 });
  });

  test('grace 0: a new refresh token in the same family, which works; the old one is used up at once and its reuse ends the family', async () => {
    const clientId = await rotating(0);
    const first = await signedIn(clientId);
    const second = await getTokens(clientId, first.RefreshToken!);
    assert.match(second.RefreshToken ?? '', /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){4}$/u);
    assert.notEqual(second.RefreshToken, first.RefreshToken);
    const [before, after] = [claims(first.AccessToken!), claims(second.AccessToken!)];
    assert.deepEqual([after.origin_jti, after.auth_time], [before.origin_jti, before.auth_time], 'a rotation started a new sign-in');
    assert.deepEqual(Object.keys(second), ['AccessToken', 'ExpiresIn', 'TokenType', 'RefreshToken', 'IdToken']);

    const third = await getTokens(clientId, second.RefreshToken!);
    assert.ok(third.RefreshToken && third.RefreshToken !== second.RefreshToken, 'the rotated-in token did not rotate in turn');
    await assertRejects(() => getTokens(clientId, first.RefreshToken!), REUSED);
    // A reuse means two holders of one token: every token of the family ends, the newest included.
    await assertRejects(() => getTokens(clientId, third.RefreshToken!), REVOKED);
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: third.AccessToken! })), { type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  test('grace N: the old token works again within the grace period, then is refused; the clock of the control API moves it', async () => {
    const clientId = await rotating(30);
    const first = await signedIn(clientId);
    const rotated = await getTokens(clientId, first.RefreshToken!);
    await server.advanceClock(29);
    const retried = await getTokens(clientId, first.RefreshToken!);
    assert.ok(retried.RefreshToken && ![first.RefreshToken, rotated.RefreshToken].includes(retried.RefreshToken), 'a retry within grace got no new refresh token');
    assert.ok((await getTokens(clientId, retried.RefreshToken!)).RefreshToken, 'the retry\'s refresh token does not work');
    await server.advanceClock(2);
    await assertRejects(() => getTokens(clientId, first.RefreshToken!), REUSED);
    await assertRejects(() => getTokens(clientId, rotated.RefreshToken!), REVOKED);
  });

  test('two simultaneous refreshes with one token on a grace-0 client: one gets new tokens, the other RefreshTokenReuseException', async () => {
    const clientId = await rotating(0);
    const { RefreshToken } = await signedIn(clientId);
    const outcomes = await Promise.allSettled([getTokens(clientId, RefreshToken!), getTokens(clientId, RefreshToken!)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(won.length, 1, JSON.stringify(outcomes.map((o) => o.status)));
    assert.deepEqual([(lost[0]!.reason as Error).name, (lost[0]!.reason as Error).message], [REUSED.type, REUSED.message]);
  });

  test('REFRESH_TOKEN_AUTH on a rotation-enabled client refreshes without rotating; a used-up token is just invalid there', async () => {
    const clientId = await rotating(0);
    const first = await signedIn(clientId);
    const viaInitiate = await initiateRefresh(clientId, first.RefreshToken!);
    assert.equal(viaInitiate.RefreshToken, undefined);
    assert.ok(viaInitiate.AccessToken, 'REFRESH_TOKEN_AUTH gave no access token');
    // Not rotated out by that: GetTokensFromRefreshToken still takes it once.
    const rotated = await getTokens(clientId, first.RefreshToken!);
    assert.ok(rotated.RefreshToken, 'REFRESH_TOKEN_AUTH rotated the token out');
    assert.equal((await initiateRefresh(clientId, rotated.RefreshToken!)).RefreshToken, undefined);
    // InitiateAuth's model has no RefreshTokenReuseException.
    await assertRejects(() => initiateRefresh(clientId, first.RefreshToken!), INVALID);
    await assertRejects(() => getTokens(clientId, rotated.RefreshToken!), REVOKED);
  });

  test('a client with rotation disabled or unset returns no refresh token, and the same one keeps working', async () => {
    for (const clientId of [await appClient({ RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 } }), await appClient()]) {
      const { RefreshToken } = await signedIn(clientId);
      for (let i = 0; i < 2; i++) {
        const out = await getTokens(clientId, RefreshToken!);
        assert.equal(out.RefreshToken, undefined);
        assert.ok(out.IdToken, 'the refresh gave no ID token');
      }
    }
  });

  test('GlobalSignOut revokes rotated tokens, the rotated-in one and the rotated-out one within its grace period', async () => {
    const clientId = await rotating(60);
    const first = await signedIn(clientId);
    const rotated = await getTokens(clientId, first.RefreshToken!);
    await idp.send(new GlobalSignOutCommand({ AccessToken: rotated.AccessToken! }));
    await assertRejects(() => getTokens(clientId, rotated.RefreshToken!), REVOKED);
    await assertRejects(() => getTokens(clientId, first.RefreshToken!), REVOKED);
    await assertRejects(() => initiateRefresh(clientId, rotated.RefreshToken!), REVOKED);
  });

  test('a rotated-in token expires when the sign-in\'s first one would have: rotation does not extend RefreshTokenValidity', async () => {
    const clientId = await rotating(0, { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } });
    const first = await signedIn(clientId);
    await server.advanceClock(40 * 60);
    const rotated = await getTokens(clientId, first.RefreshToken!);
    await server.advanceClock(21 * 60);
    await assertRejects(() => getTokens(clientId, rotated.RefreshToken!), INVALID);
  });
});
