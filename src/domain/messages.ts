/**
 * @module The error catalogue: every error this server returns, with Amazon Cognito's exact
 * wording as seen in real responses (see docs/confirm-sign-up.md for the source of each text).
 */
import { CognitoError } from './errors.ts';

const e = (type: string, message: string) => new CognitoError(type, message);

export const errors = {
  // Resolution of the client and the user.
  clientNotFound: (clientId: string) => e('ResourceNotFoundException', `User pool client ${clientId} does not exist.`),
  poolNotFound: (poolId: string) => e('ResourceNotFoundException', `User pool ${poolId} does not exist.`),
  clientNotFoundInPool: (clientId: string) => e('ResourceNotFoundException', `User pool client ${clientId} does not exist.`),
  secretNotFound: (secretId: string) => e('ResourceNotFoundException', `Client secret ${secretId} does not exist.`),
  userNotFoundForClient: () => e('UserNotFoundException', 'Username/client id combination not found.'),
  userNotFound: () => e('UserNotFoundException', 'User does not exist.'),

  // SecretHash: the missing-hash text has no trailing period in real responses.
  secretHashMissing: (clientId: string) => e('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`),
  secretHashMismatch: (clientId: string) => e('NotAuthorizedException', `SecretHash does not match for the client: ${clientId}`),

  // User state.
  cannotConfirm: (status: string) => e('NotAuthorizedException', `User cannot be confirmed. Current status is ${status}`),
  userDisabled: () => e('NotAuthorizedException', 'User is disabled.'),
  alreadyConfirmed: () => e('InvalidParameterException', 'User is already confirmed.'),
  selfSignUpDisabled: () => e('NotAuthorizedException', 'SignUp is not permitted for this user pool.'),

  // Codes and limits.
  codeMismatch: () => e('CodeMismatchException', 'Invalid verification code provided, please try again.'),
  codeExpired: () => e('ExpiredCodeException', 'Invalid code provided, please request a code again.'),
  attemptLimit: () => e('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
  rateExceeded: () => e('TooManyRequestsException', 'Rate exceeded'),
  wafBlock: () => e('ForbiddenException', 'Request not allowed due to WAF block.'),

  // Sign-up.
  usernameExists: () => e('UsernameExistsException', 'User already exists'),
  accountExists: () => e('UsernameExistsException', 'User account already exists'),
  // The text is ours: no source records Cognito's wording (docs/delivery.md).
  cannotReinvite: (username: string, status: string) =>
    e('UnsupportedUserStateException', `Resend not possible. ${username} status is ${status}, not FORCE_CHANGE_PASSWORD.`),
  emailExists: () => e('UsernameExistsException', 'An account with the given email already exists.'),
  phoneExists: () => e('UsernameExistsException', 'An account with the given phone_number already exists.'),
  aliasExists: (attribute: string) => e('AliasExistsException', `An account with the ${attribute} already exists.`),
  usernameShouldBeEmail: () => e('InvalidParameterException', 'Username should be an email.'),
  usernameShouldBePhone: () => e('InvalidParameterException', 'Username should be a phone number.'),
  usernameShouldBeEmailOrPhone: () => e('InvalidParameterException', 'Username should be either an email or a phone number.'),
  usernameEmailFormat: () =>
    e('InvalidParameterException', 'Username cannot be of email format, since user pool is configured for email alias.'),
  usernamePhoneFormat: () =>
    e('InvalidParameterException', 'Username cannot be of phone number format, since user pool is configured for phone number alias.'),
  passwordPolicy: (reason: string) => e('InvalidPasswordException', `Password did not conform with policy: ${reason}`),
  // AdminCreateUser's temporary passwords are reported with a slightly different phrase.
  adminPasswordPolicy: (reason: string) => e('InvalidPasswordException', `Password did not conform with password policy: ${reason}`),
  passwordRequired: () => e('InvalidParameterException', 'A password is required for this user pool.'),
  invalidAttribute: (detail: string) => e('InvalidParameterException', detail),
  invalidParameter: (detail: string) => e('InvalidParameterException', detail),

  // Pools and clients.
  poolNameRequired: () => e('InvalidParameterException', 'Pool name is required.'),
  deletionProtected: (poolId: string) =>
    e('InvalidParameterException', `The user pool ${poolId} has deletion protection activated.`),
  tooManySecrets: () => e('LimitExceededException', 'A client can have at most 2 client secrets.'),
  paginationToken: () => e('InvalidParameterException', 'Invalid pagination token.'),

  // Triggers (§6.5): `<Trigger> failed with error <message>.` and friends.
  lambdaValidation: (trigger: string, message: string) =>
    e('UserLambdaValidationException', `${trigger} failed with error ${message}.`),
  lambdaUnexpected: (trigger: string, cause: string) =>
    e('UnexpectedLambdaException', `${trigger} invocation failed due to error ${cause}.`),
  lambdaInvalidJson: () => e('InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON'),
  lambdaUnrecognizable: () => e('InvalidLambdaResponseException', 'Unrecognizable lambda output'),

  // Protocol and faults.
  unknownOperation: () => e('UnknownOperationException', 'Unknown operation.'),
  serialization: (detail: string) => e('SerializationException', detail),
  payloadTooLarge: () => e('SerializationException', 'Request body too large.'),
  internal: () => e('InternalErrorException', 'Internal server error.'),
  codeDeliveryFailure: (detail: string) => e('CodeDeliveryFailureException', detail),
} as const;
