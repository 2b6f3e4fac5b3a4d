/** @module The operation registry: Cognito operation name → handler built from the services it needs. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { addUserPoolClientSecret } from './add-user-pool-client-secret.ts';
import { adminConfirmSignUp } from './admin-confirm-sign-up.ts';
import { adminCreateUser } from './admin-create-user.ts';
import { adminDeleteUser } from './admin-delete-user.ts';
import { adminDisableUser } from './admin-disable-user.ts';
import { adminEnableUser } from './admin-enable-user.ts';
import { adminGetUser } from './admin-get-user.ts';
import { adminInitiateAuth } from './admin-initiate-auth.ts';
import { adminRespondToAuthChallenge } from './admin-respond-to-auth-challenge.ts';
import { adminUserGlobalSignOut } from './admin-user-global-sign-out.ts';
import { confirmSignUp } from './confirm-sign-up.ts';
import { createUserPool } from './create-user-pool.ts';
import { createUserPoolClient } from './create-user-pool-client.ts';
import { deleteUserPool } from './delete-user-pool.ts';
import { deleteUserPoolClient } from './delete-user-pool-client.ts';
import { deleteUserPoolClientSecret } from './delete-user-pool-client-secret.ts';
import { describeUserPool } from './describe-user-pool.ts';
import { describeUserPoolClient } from './describe-user-pool-client.ts';
import { listUserPoolClientSecrets } from './list-user-pool-client-secrets.ts';
import { listUserPoolClients } from './list-user-pool-clients.ts';
import { listUserPools } from './list-user-pools.ts';
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.ts';
import { getUser } from './get-user.ts';
import { globalSignOut } from './global-sign-out.ts';
import { initiateAuth } from './initiate-auth.ts';
import { listUsers } from './list-users.ts';
import { respondToAuthChallenge } from './respond-to-auth-challenge.ts';
import { revokeToken } from './revoke-token.ts';
import { resendConfirmationCode } from './resend-confirmation-code.ts';
import { signUp } from './sign-up.ts';
import { updateUserPool } from './update-user-pool.ts';
import { updateUserPoolClient } from './update-user-pool-client.ts';

const registry = {
  AddUserPoolClientSecret: addUserPoolClientSecret,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminCreateUser: adminCreateUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminGetUser: adminGetUser,
  AdminInitiateAuth: adminInitiateAuth,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ConfirmSignUp: confirmSignUp,
  CreateUserPool: createUserPool,
  CreateUserPoolClient: createUserPoolClient,
  DeleteUserPool: deleteUserPool,
  DeleteUserPoolClient: deleteUserPoolClient,
  DeleteUserPoolClientSecret: deleteUserPoolClientSecret,
  DescribeUserPool: describeUserPool,
  DescribeUserPoolClient: describeUserPoolClient,
  ListUserPoolClientSecrets: listUserPoolClientSecrets,
  ListUserPoolClients: listUserPoolClients,
  ListUserPools: listUserPools,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUser: getUser,
  GlobalSignOut: globalSignOut,
  InitiateAuth: initiateAuth,
  ListUsers: listUsers,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
  ResendConfirmationCode: resendConfirmationCode,
  SignUp: signUp,
  UpdateUserPool: updateUserPool,
  UpdateUserPoolClient: updateUserPoolClient,
} satisfies Record<string, (services: Services) => OperationHandler>;

export const implementedOperations: readonly string[] = Object.keys(registry).sort();

export function buildHandlers(services: Services): Record<string, OperationHandler> {
  return Object.fromEntries(Object.entries(registry).map(([name, build]) => [name, build(services)]));
}
