/**
 * @module Account removal (docs/groups.md): DeleteUser by the signed-in user and AdminDeleteUser,
 * and what the old tokens get afterwards: GetUser and DeleteUser find no user, both refresh
 * operations find no refresh token, a sign-in finds no account, and the memberships are gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  DeleteUserCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersInGroupCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const USER_NOT_FOUND = AWS_ERRORS.userNotFound;
const INVALID_REFRESH = AWS_ERRORS.invalidRefreshToken;

describe('account removal', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...FLOWS] }));
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'members' }));
  });
  after(() => server.stop());

  const signedIn = async (username: string): Promise<AuthenticationResultType> => {
    await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: 'members' }));
    return signIn(username);
  };
  const signIn = async (username: string) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }))).AuthenticationResult!;
  const members = async () => (await idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'members' }))).Users!.map((u) => u.Username);

  /** Everything the old tokens can still be shown to, and the answer each must give. */
  const oldTokensRefused = async (username: string, tokens: AuthenticationResultType) => {
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), USER_NOT_FOUND);
    await assertRejects(() => idp.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken! })), USER_NOT_FOUND);
    await assertRejects(
      () => idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
      INVALID_REFRESH,
    );
    await assertRejects(() => idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken! })), INVALID_REFRESH);
    await assertRejects(() => signIn(username), USER_NOT_FOUND);
    await assertRejects(() => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), USER_NOT_FOUND);
    assert.equal((await members()).includes(username), false, 'the membership went with the user');
  };

  test('DeleteUser: the signed-in user deletes their own account, and their old tokens are refused', async () => {
    const tokens = await signedIn('self-deleter');
    assert.ok((await members()).includes('self-deleter'));
    const answer = await idp.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken! }));
    assert.deepEqual(Object.keys(answer), ['$metadata']);
    await oldTokensRefused('self-deleter', tokens);
  });

  test('AdminDeleteUser leaves the user’s tokens unusable the same way', async () => {
    const tokens = await signedIn('admin-deleted');
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'admin-deleted' }));
    await oldTokensRefused('admin-deleted', tokens);
  });

  test('DeleteUser is refused by the shared access-token check: garbage, an ID token, a signed-out token, a disabled user', async () => {
    const tokens = await signedIn('guarded');
    const invalid = { type: 'NotAuthorizedException', message: 'Invalid Access Token' };
    await assertRejects(() => idp.send(new DeleteUserCommand({ AccessToken: 'garbage' })), invalid);
    await assertRejects(() => idp.send(new DeleteUserCommand({ AccessToken: tokens.IdToken! })), invalid);
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'guarded' }));
    await assertRejects(() => idp.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken! })), { type: 'NotAuthorizedException', message: 'User is disabled.' });

    const other = await signedIn('signed-out');
    await idp.send(new GlobalSignOutCommand({ AccessToken: other.AccessToken! }));
    await assertRejects(() => idp.send(new DeleteUserCommand({ AccessToken: other.AccessToken! })), { type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'signed-out' }))).Username, 'signed-out', 'a refused DeleteUser deletes nothing');
  });

  test('a new account under a deleted user’s name is not reachable with the old access token', async () => {
    const tokens = await signedIn('reborn');
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'reborn' }));
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'reborn', MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'reborn', Password: PASSWORD, Permanent: true }));
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), USER_NOT_FOUND);
  });
});
