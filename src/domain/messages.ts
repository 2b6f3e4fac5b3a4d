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
  // Groups (docs/groups.md): "Group not found." is seen in real responses; the exists text is partly ours.
  groupNotFound: () => e('ResourceNotFoundException', 'Group not found.'),
  groupExists: (groupName: string) => e('GroupExistsException', `A group with the name ${groupName} already exists.`),
  // The quota is documented; the text is ours.
  tooManyGroups: (max: number) => e('LimitExceededException', `A user pool can have at most ${max} groups.`),

  // SecretHash: the missing-hash text has no trailing period in real responses.
  secretHashMissing: (clientId: string) => e('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`),
  secretHashMismatch: (clientId: string) => e('NotAuthorizedException', `SecretHash does not match for the client: ${clientId}`),

  // User state.
  cannotConfirm: (status: string) => e('NotAuthorizedException', `User cannot be confirmed. Current status is ${status}`),
  userDisabled: () => e('NotAuthorizedException', 'User is disabled.'),
  alreadyConfirmed: () => e('InvalidParameterException', 'User is already confirmed.'),
  selfSignUpDisabled: () => e('NotAuthorizedException', 'SignUp is not permitted for this user pool.'),
  // Password recovery (sign-in spec §11); the admin-only text is ours, the others observed.
  cannotResetPassword: () => e('NotAuthorizedException', 'User password cannot be reset in the current state.'),
  noRecoveryChannel: () => e('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number'),
  adminOnlyRecovery: () => e('NotAuthorizedException', 'Contact administrator to reset password.'),
  // Ours: AdminResetUserPassword needs self-service recovery (M), the wording is not recorded.
  noSelfServiceRecovery: () => e('InvalidParameterException', 'The user pool does not have self-service account recovery configured.'),
  missingPreviousPassword: () => e('InvalidParameterException', 'Missing required parameter PreviousPassword'),
  // Password history (docs/recovery.md): the type is in the model, both texts are ours.
  passwordHistoryViolation: () => e('PasswordHistoryPolicyViolationException', 'Password has previously been used.'),
  featureUnavailableInTier: (feature: string) => e('FeatureUnavailableInTierException', `${feature} is not available in the LITE tier.`),
  // Observed (aws/aws-cli#7151).
  verificationBeforeUpdateNotAutoVerified: () =>
    e('InvalidParameterException', 'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes'),

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

  // Attribute schema (docs/custom-attributes.md gives the source of each text, and which are ours).
  attributesNotConforming: (lines: readonly string[]) =>
    e('InvalidParameterException', `Attributes did not conform to the schema: ${lines.map((line) => `${line}\n`).join('')}`),
  nonMutableAttribute: (name: string) => e('InvalidParameterException', `Cannot modify the non-mutable attribute ${name}`),
  attributeAlreadyDeclared: (name: string) => e('InvalidParameterException', `${name}: Existing attribute already has name ${name}.`),
  attributeDataTypeInvalid: () => e('InvalidParameterException', 'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'),
  requiredCustomAttribute: () => e('InvalidParameterException', 'Required custom attributes are not supported currently.'),
  standardAttributeRetyped: (name: string) =>
    e('InvalidParameterException', `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`),
  stringConstraintTooLong: (name: string, max: number) => e('InvalidParameterException', `user.${name}: String attributes cannot have a length of more than ${max}`),
  lengthBoundsReversed: (name: string) => e('InvalidParameterException', `user.${name}: Max length cannot be less than min length.`),
  valueBoundsReversed: (name: string) => e('InvalidParameterException', `user.${name}: Max value cannot be less than min value.`),
  constraintInvalid: (member: string, name: string) => e('InvalidParameterException', `Invalid ${member} for schema attribute ${name}`),
  // In the form of the model validation messages; the member path is Cognito's request member name.
  customAttributeNameMissing: (index: number) =>
    e('InvalidParameterException', `1 validation error detected: Value null at 'customAttributes.${index}.member.name' failed to satisfy constraint: Member must not be null`),
  tooManyCustomAttributes: (max: number) => e('InvalidParameterException', `A user pool can have at most ${max} custom attributes.`),
  clientAttributesInvalid: (which: 'read' | 'write', action: 'creating' | 'updating') =>
    e('InvalidParameterException', `Invalid ${which} attributes specified while ${action} a client`),

  // Attribute changes and their verification (docs/attribute-verification.md gives each text's source).
  aliasExistsGiven: (attribute: string) => e('AliasExistsException', `An account with the given ${attribute} already exists.`),
  notVerifiable: () => e('InvalidParameterException', 'Invalid attribute name. Only phone_number and email can be verified.'),
  noAddressToVerify: (attribute: 'email' | 'phone_number') =>
    e('InvalidParameterException', `User does not have a valid registered ${attribute === 'email' ? 'email' : 'phone number'}`),
  noValueToVerify: (attribute: string) => e('InvalidParameterException', `Unable to verify attribute: ${attribute} no value set to verify`),

  // Pools and clients.
  poolNameRequired: () => e('InvalidParameterException', 'Pool name is required.'),
  deletionProtected: (poolId: string) =>
    e('InvalidParameterException', `The user pool ${poolId} has deletion protection activated.`),
  poolDeletionNeedsNoDomain: () => e('InvalidParameterException', 'User pool cannot be deleted. It has a domain configured that should be deleted first.'),
  tooManySecrets: () => e('LimitExceededException', 'A client can have at most 2 client secrets.'),
  paginationToken: () => e('InvalidParameterException', 'Invalid pagination token.'),

  // Triggers (§6.5): `<Trigger> failed with error <message>.` and friends.
  lambdaValidation: (trigger: string, message: string) =>
    e('UserLambdaValidationException', `${trigger} failed with error ${message}.`),
  lambdaUnexpected: (trigger: string, cause: string) =>
    e('UnexpectedLambdaException', `${trigger} invocation failed due to error ${cause}.`),
  lambdaInvalidJson: () => e('InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON'),
  lambdaUnrecognizable: () => e('InvalidLambdaResponseException', 'Unrecognizable lambda output'),

  // Sign-in (sign-in spec §8); trailing periods exactly as real responses have them.
  authMethodNotSupported: () => e('InvalidParameterException', 'Initiate Auth method not supported.'),
  flowNotEnabled: (flow: string) => e('InvalidParameterException', `${flow} flow not enabled for this client`),
  adminFlowNotEnabled: () => e('InvalidParameterException', 'Auth flow not enabled for this client'),
  missingAuthParameter: (key: string) => e('InvalidParameterException', `Missing required parameter ${key}`),
  authSecretHashMissing: (clientId: string) => e('NotAuthorizedException', `Client ${clientId} is configured with secret but SECRET_HASH was not received`),
  authSecretHashMismatch: (clientId: string) => e('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`),
  badCredentials: () => e('NotAuthorizedException', 'Incorrect username or password.'),
  userNotConfirmed: () => e('UserNotConfirmedException', 'User is not confirmed.'),
  // The exception is observed; the message is ours (spec §4 row 4).
  passwordResetRequired: () => e('PasswordResetRequiredException', 'Password reset required for the user'),
  passwordAttemptsExceeded: () => e('NotAuthorizedException', 'Password attempts exceeded'),
  temporaryPasswordExpired: () => e('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.'),
  invalidRefreshToken: () => e('NotAuthorizedException', 'Invalid Refresh Token.'),
  refreshTokenRevoked: () => e('NotAuthorizedException', 'Refresh Token has been revoked'),
  // The exception is modelled for GetTokensFromRefreshToken only; the text is ours (spec §8).
  refreshTokenReused: () => e('RefreshTokenReuseException', 'Refresh token has been used.'),
  sessionExpired: () => e('NotAuthorizedException', 'Invalid session for the user, session is expired.'),
  sessionUsed: () => e('NotAuthorizedException', 'Invalid session for the user, session can only be used once.'),
  sessionInvalid: () => e('NotAuthorizedException', 'Invalid session for the user.'),
  // Both texts are ours: AWS's wording for these InvalidParameterExceptions is not recorded (spec §7.3, §7.6).
  challengeNameMismatch: () => e('InvalidParameterException', 'Invalid challenge name.'),
  challengeAnswerInvalid: () => e('InvalidParameterException', 'Invalid challenge answer.'),
  otpMismatch: () => e('CodeMismatchException', 'Invalid code or auth state for the user.'),
  requiredAttributeMissing: (name: string) => e('InvalidParameterException', `Invalid attributes given, ${name} is missing`),
  unauthorizedAttribute: () => e('NotAuthorizedException', 'A client attempted to write unauthorized attribute'),
  customAuthNotConfigured: () => e('NotAuthorizedException', 'Custom auth lambda trigger is not configured for the user pool.'),
  invalidAccessToken: () => e('NotAuthorizedException', 'Invalid Access Token'),
  accessTokenExpired: () => e('NotAuthorizedException', 'Access Token has expired'),
  accessTokenRevoked: () => e('NotAuthorizedException', 'Access Token has been revoked'),
  accessTokenScope: () => e('NotAuthorizedException', 'Access Token does not have required scopes'),
  // The next four texts are ours: the exceptions are modelled, their messages not recorded (spec §11).
  clientSecretMismatch: (clientId: string) => e('NotAuthorizedException', `Unable to verify client secret for client ${clientId}`),
  revokeUnauthorized: () => e('UnauthorizedException', 'The client secret is missing or does not match.'),
  revocationDisabled: () => e('UnsupportedOperationException', 'Token revocation is not enabled for this client.'),
  unsupportedTokenType: () => e('UnsupportedTokenTypeException', 'The token is not a refresh token.'),

  // Protocol and faults.
  unknownOperation: () => e('UnknownOperationException', 'Unknown operation.'),
  serialization: (detail: string) => e('SerializationException', detail),
  payloadTooLarge: () => e('SerializationException', 'Request body too large.'),
  internal: () => e('InternalErrorException', 'Internal server error.'),
  codeDeliveryFailure: (detail: string) => e('CodeDeliveryFailureException', detail),

  // Domains and resource servers (docs/oauth.md gives each text's source; "ours" where none was found).
  domainTaken: () => e('InvalidParameterException', 'Domain already associated with another user pool.'),
  domainReservedWord: (word: string) => e('InvalidParameterException', `Domain cannot contain reserved word: ${word}`),
  domainInvalid: (domain: string) => e('InvalidParameterException', `Invalid domain name: ${domain}`),
  poolHasDomain: (kind: 'prefix' | 'custom') => e('InvalidParameterException', `The user pool already has a ${kind === 'prefix' ? 'domain' : 'custom domain'} configured.`),
  domainNotFound: () => e('InvalidParameterException', 'No such domain or user pool exists.'),
  managedLoginVersion: () => e('InvalidParameterException', 'ManagedLoginVersion must be 1 or 2.'),
  managedLoginTier: () => e('FeatureUnavailableInTierException', 'Managed login is not available for user pools on the LITE tier.'),
  resourceServerExists: (identifier: string) => e('InvalidParameterException', `A resource server with identifier ${identifier} already exists in this user pool.`),
  resourceServerNotFound: (identifier: string) => e('ResourceNotFoundException', `Resource server ${identifier} does not exist.`),
  duplicateScopeName: (name: string) => e('InvalidParameterException', `Duplicate scope name ${name}.`),
  // App-client OAuth settings (OML §2); texts ours unless docs/oauth.md says otherwise.
  invalidCallbackUrl: (url: string) => e('InvalidParameterException', `Invalid redirect URL: ${url}`),
  invalidLogoutUrl: (url: string) => e('InvalidParameterException', `Invalid logout URL: ${url}`),
  defaultRedirectNotCallback: () => e('InvalidParameterException', 'DefaultRedirectURI must be one of the CallbackURLs.'),
  clientCredentialsAlone: () => e('InvalidParameterException', 'client_credentials flow can not be selected along with code flow or implicit flow.'),
  clientCredentialsNeedsSecret: () => e('InvalidParameterException', 'client_credentials flow can not be selected if client does not have a client secret.'),
  clientCredentialsNeedsCustomScopes: () => e('InvalidParameterException', 'client_credentials flow can only be used with custom scopes.'),
  scopeNotDefined: (scope: string) => e('InvalidParameterException', `Invalid scope requested: ${scope}`),
  unknownIdentityProvider: (name: string, poolId: string) => e('InvalidParameterException', `The provider ${name} does not exist for User Pool ${poolId}`),
} as const;

/** The lines of "Attributes did not conform to the schema: …", one per attribute at fault. */
export const schemaViolations = {
  unknown: (name: string) => `${name}: Attribute does not exist in the schema.`,
  required: (name: string) => `${name}: The attribute is required.`,
  // The texts below are ours: no source records Cognito's wording for these cases.
  tooShort: (name: string, min: number) => `${name}: String must be at least ${min} characters long.`,
  tooLong: (name: string, max: number) => `${name}: String must be no longer than ${max} characters.`,
  notANumber: (name: string) => `${name}: Number must be a valid number.`,
  belowMinimum: (name: string, min: string) => `${name}: Number must be no less than ${min}.`,
  aboveMaximum: (name: string, max: string) => `${name}: Number must be no greater than ${max}.`,
  noValueType: (name: string, type: string) => `${name}: Attributes of type ${type} cannot be given a value.`,
} as const;
