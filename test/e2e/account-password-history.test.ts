/**
 * @module Password history (Policies.PasswordPolicy.PasswordHistorySize) through the SDK v3 on every
 * operation that enforces it: ChangePassword, ConfirmForgotPassword, AdminSetUserPassword and the
 * NEW_PASSWORD_REQUIRED answer refuse one of the user's last N passwords with
 * PasswordHistoryPolicyViolationException and change nothing; an older one is allowed again. Also the pool settings that go with it: the LITE tier
 * cannot have a history, and AttributesRequireVerificationBeforeUpdate needs AutoVerifiedAttributes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const P1 = 'Battery-Staple-7';
const P2 = 'Another-Pass-5';
const REUSED = { type: 'PasswordHistoryPolicyViolationException', message: 'Password has previously been used.' };
// 400 like every client fault Cognito answers (spec §1.1), although the model declares 403.
const LITE = { type: 'FeatureUnavailableInTierException', message: 'Password history is not available in the LITE tier.' };
const NOT_AUTO_VERIFIED = {
  type: 'InvalidParameterException',
  message: 'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
};

describe('password history', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(
      idp,
      { Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } } },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    ));
  });
  after(() => server.stop());

  const confirmed = async (username: string, client = clientId) => {
    await signUp(idp, client, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };
  const signIn = (USERNAME: string, PASSWORD: string, client = clientId) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client, AuthParameters: { USERNAME, PASSWORD } }));
  const token = async (username: string, password: string) => (await signIn(username, password)).AuthenticationResult!.AccessToken!;
  const change = (AccessToken: string, PreviousPassword: string, ProposedPassword: string) =>
    idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));

  test('ChangePassword refuses the current and the previous password, and allows one that left the history', async () => {
    await confirmed('changer');
    const first = await token('changer', PASSWORD);
    await assertRejects(() => change(first, PASSWORD, PASSWORD), REUSED);
    await change(first, PASSWORD, P1);
    await assertRejects(() => change(first, P1, PASSWORD), REUSED);
    await assertRejects(() => change(first, P1, P1), REUSED);
    assert.ok((await signIn('changer', P1)).AuthenticationResult, 'a refused change changes nothing');

    await change(first, P1, P2);
    // Size 2: the last two are P2 and P1, so the sign-up password is allowed again.
    await change(first, P2, PASSWORD);
    assert.ok((await signIn('changer', PASSWORD)).AuthenticationResult);
  });

  test('ChangePassword with a wrong previous password is told so, not whether the proposal was used', async () => {
    await confirmed('prober');
    const access = await token('prober', PASSWORD);
    await assertRejects(() => change(access, 'Wrong-Horse-0', PASSWORD), AWS_ERRORS.badCredentials);
  });

  test('ConfirmForgotPassword: a right code with a used password is refused and stays live; a wrong one says only that', async () => {
    await confirmed('forgetful');
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'forgetful' }));
    const code = await server.latestCode('forgetful');
    const confirm = (ConfirmationCode: string, Password: string) =>
      idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'forgetful', ConfirmationCode, Password }));
    await assertRejects(() => confirm(code === '000000' ? '111111' : '000000', PASSWORD), AWS_ERRORS.codeMismatch);
    await assertRejects(() => confirm(code, PASSWORD), REUSED);
    await confirm(code, P1);
    assert.ok((await signIn('forgetful', P1)).AuthenticationResult);
    const access = await token('forgetful', P1);
    await assertRejects(() => change(access, P1, PASSWORD), REUSED);
  });

  test('AdminSetUserPassword refuses a used password, permanent or temporary', async () => {
    await confirmed('administered');
    const set = (Password: string, Permanent: boolean) => idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'administered', Password, Permanent }));
    await assertRejects(() => set(PASSWORD, true), REUSED);
    await set(P1, true);
    await assertRejects(() => set(P1, false), REUSED);
    await assertRejects(() => set(PASSWORD, false), REUSED);
    assert.equal((await userState(idp, poolId, 'administered')).status, 'CONFIRMED', 'the refusals changed nothing');
    await set(P2, false);
    assert.equal((await userState(idp, poolId, 'administered')).status, 'FORCE_CHANGE_PASSWORD');
  });

  test('NEW_PASSWORD_REQUIRED refuses the temporary password as the new one, and the session stays usable', async () => {
    const temporary = 'Temporary-Pass-3';
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invitee', TemporaryPassword: temporary, MessageAction: 'SUPPRESS' }));
    const challenge = await signIn('invitee', temporary);
    assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const answer = (NEW_PASSWORD: string) =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'invitee', NEW_PASSWORD } }));
    await assertRejects(() => answer(temporary), REUSED);
    assert.ok((await answer(P1)).AuthenticationResult);
    assert.equal((await userState(idp, poolId, 'invitee')).status, 'CONFIRMED');
  });

  test('without PasswordHistorySize the same password may be set again', async () => {
    const plain = await createPool(idp, {}, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await confirmed('repeater', plain.clientId);
    const access = (await signIn('repeater', PASSWORD, plain.clientId)).AuthenticationResult!.AccessToken!;
    await change(access, PASSWORD, PASSWORD);
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: plain.poolId, Username: 'repeater', Password: PASSWORD, Permanent: true }));
  });

  test('the LITE tier cannot keep a password history; ESSENTIALS and PLUS can', async () => {
    const policies = { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 5 } };
    await assertRejects(() => idp.send(new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE', Policies: policies })), LITE);
    for (const tier of ['ESSENTIALS', 'PLUS'] as const) {
      await idp.send(new CreateUserPoolCommand({ PoolName: tier, UserPoolTier: tier, Policies: policies }));
    }
    const lite = await idp.send(new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE', Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 0 } } }));
    const id = lite.UserPool!.Id!;
    await assertRejects(() => idp.send(new UpdateUserPoolCommand({ UserPoolId: id, UserPoolTier: 'LITE', Policies: policies })), LITE);
    assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.Policies?.PasswordPolicy?.PasswordHistorySize ?? 0, 0);
  });

  test('AttributesRequireVerificationBeforeUpdate must be among AutoVerifiedAttributes, on create and update', async () => {
    const keep = { AttributesRequireVerificationBeforeUpdate: ['email' as const] };
    await assertRejects(() => idp.send(new CreateUserPoolCommand({ PoolName: 'keep', UserAttributeUpdateSettings: keep })), NOT_AUTO_VERIFIED);
    await assertRejects(
      () => idp.send(new CreateUserPoolCommand({ PoolName: 'keep', AutoVerifiedAttributes: ['phone_number'], UserAttributeUpdateSettings: keep })),
      NOT_AUTO_VERIFIED,
    );
    const created = await idp.send(new CreateUserPoolCommand({ PoolName: 'keep', AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: keep }));
    const id = created.UserPool!.Id!;
    await assertRejects(() => idp.send(new UpdateUserPoolCommand({ UserPoolId: id, UserAttributeUpdateSettings: keep })), NOT_AUTO_VERIFIED);
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: id, AutoVerifiedAttributes: ['email', 'phone_number'], UserAttributeUpdateSettings: keep }));
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: id, UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [] } }));
  });
});
