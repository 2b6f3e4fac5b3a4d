/** @module The operation registry: Cognito operation name → handler built from the services it needs. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { addCustomAttributes } from './add-custom-attributes.ts';
import { addUserPoolClientSecret } from './add-user-pool-client-secret.ts';
import { adminConfirmSignUp } from './admin-confirm-sign-up.ts';
import { adminCreateUser } from './admin-create-user.ts';
import { adminDeleteUser } from './admin-delete-user.ts';
import { adminDisableUser } from './admin-disable-user.ts';
import { adminEnableUser } from './admin-enable-user.ts';
import { adminGetUser } from './admin-get-user.ts';
import { adminInitiateAuth } from './admin-initiate-auth.ts';
import { adminResetUserPassword } from './admin-reset-user-password.ts';
import { adminRespondToAuthChallenge } from './admin-respond-to-auth-challenge.ts';
import { adminSetUserPassword } from './admin-set-user-password.ts';
import { adminUserGlobalSignOut } from './admin-user-global-sign-out.ts';
import { adminAddUserToGroup } from './admin-add-user-to-group.ts';
import { adminListGroupsForUser } from './admin-list-groups-for-user.ts';
import { adminRemoveUserFromGroup } from './admin-remove-user-from-group.ts';
import { createGroup } from './create-group.ts';
import { deleteGroup } from './delete-group.ts';
import { deleteUser } from './delete-user.ts';
import { getGroup } from './get-group.ts';
import { listGroups } from './list-groups.ts';
import { listUsersInGroup } from './list-users-in-group.ts';
import { updateGroup } from './update-group.ts';
import { changePassword } from './change-password.ts';
import { confirmForgotPassword } from './confirm-forgot-password.ts';
import { confirmSignUp } from './confirm-sign-up.ts';
import { adminDeleteUserAttributes } from './admin-delete-user-attributes.ts';
import { adminUpdateUserAttributes } from './admin-update-user-attributes.ts';
import { deleteUserAttributes } from './delete-user-attributes.ts';
import { getUserAttributeVerificationCode } from './get-user-attribute-verification-code.ts';
import { updateUserAttributes } from './update-user-attributes.ts';
import { verifyUserAttribute } from './verify-user-attribute.ts';
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
import { forgotPassword } from './forgot-password.ts';
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
import { createUserPoolDomain } from './create-user-pool-domain.ts';
import { describeUserPoolDomain } from './describe-user-pool-domain.ts';
import { updateUserPoolDomain } from './update-user-pool-domain.ts';
import { deleteUserPoolDomain } from './delete-user-pool-domain.ts';
import { createResourceServer } from './create-resource-server.ts';
import { describeResourceServer } from './describe-resource-server.ts';
import { listResourceServers } from './list-resource-servers.ts';
import { updateResourceServer } from './update-resource-server.ts';
import { deleteResourceServer } from './delete-resource-server.ts';

const registry = {
  AddCustomAttributes: addCustomAttributes,
  AddUserPoolClientSecret: addUserPoolClientSecret,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminCreateUser: adminCreateUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminGetUser: adminGetUser,
  AdminInitiateAuth: adminInitiateAuth,
  AdminResetUserPassword: adminResetUserPassword,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AdminSetUserPassword: adminSetUserPassword,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  CreateGroup: createGroup,
  DeleteGroup: deleteGroup,
  DeleteUser: deleteUser,
  GetGroup: getGroup,
  ListGroups: listGroups,
  ListUsersInGroup: listUsersInGroup,
  UpdateGroup: updateGroup,
  ChangePassword: changePassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  DeleteUserAttributes: deleteUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  UpdateUserAttributes: updateUserAttributes,
  VerifyUserAttribute: verifyUserAttribute,
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
  ForgotPassword: forgotPassword,
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
  CreateUserPoolDomain: createUserPoolDomain,
  DescribeUserPoolDomain: describeUserPoolDomain,
  UpdateUserPoolDomain: updateUserPoolDomain,
  DeleteUserPoolDomain: deleteUserPoolDomain,
  CreateResourceServer: createResourceServer,
  DescribeResourceServer: describeResourceServer,
  ListResourceServers: listResourceServers,
  UpdateResourceServer: updateResourceServer,
  DeleteResourceServer: deleteResourceServer,
} satisfies Record<string, (services: Services) => OperationHandler>;

export const implementedOperations: readonly string[] = Object.keys(registry).sort();

export function buildHandlers(services: Services): Record<string, OperationHandler> {
  return Object.fromEntries(Object.entries(registry).map(([name, build]) => [name, build(services)]));
}
