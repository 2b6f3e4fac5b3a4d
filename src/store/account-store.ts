/**
 * @module The account aggregate's contract: password recovery codes and the password operations
 * around them (ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword, AdminSetUserPassword,
 * ChangePassword).
 */

export interface AccountStore {}
