/** @module Trigger events in the shapes of spec §6: one builder per event, all on the common envelope. */
import type { PoolView } from '../domain/pool-view.ts';
import type { UserRecord } from '../domain/records.ts';
import type { TriggerEvent } from './triggers.ts';

export const CLIENT_ID_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

export interface EventOrigin {
  region: string;
  pool: PoolView;
  /** The app client, or CLIENT_ID_NOT_APPLICABLE for admin calls. */
  clientId: string;
  userAgent: string;
}

/** `aws-sdk-js-3.1169.0` from the caller's `aws-sdk-js/3.1169.0 …` user agent, as Cognito reports it. */
export function sdkVersionOf(userAgent: string): string {
  const match = /\b(aws-sdk-[a-z]+|aws-cli|Boto3|botocore)\/([0-9][\w.-]*)/u.exec(userAgent);
  if (!match) return 'aws-sdk-unknown-unknown';
  const name = match[1] === 'Boto3' || match[1] === 'botocore' ? 'aws-sdk-python' : match[1];
  return `${name}-${match[2]}`;
}

/** Attribute values are strings and carry `sub`, the status and the alias markers (spec §6.1). */
export function eventAttributes(pool: PoolView, user: Pick<UserRecord, 'sub' | 'status' | 'attributes'>): Record<string, string> {
  const attributes: Record<string, string> = { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status };
  const markers = pool.usernameAttributes.length > 0 ? pool.usernameAttributes : pool.aliasAttributes;
  if (markers.includes('email') && user.attributes.email) attributes['cognito:email_alias'] = user.attributes.email;
  if (markers.includes('phone_number') && user.attributes.phone_number) attributes['cognito:phone_number_alias'] = user.attributes.phone_number;
  return attributes;
}

function envelope(
  origin: EventOrigin,
  triggerSource: string,
  userName: string,
  request: Record<string, unknown>,
  response: Record<string, unknown>,
  version: TriggerEvent['version'] = '1',
): TriggerEvent {
  return {
    version,
    triggerSource,
    region: origin.region,
    userPoolId: origin.pool.id,
    userName,
    callerContext: { awsSdkVersion: sdkVersionOf(origin.userAgent), clientId: origin.clientId },
    request,
    response,
  };
}

export function preSignUpEvent(
  origin: EventOrigin,
  source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser',
  user: Pick<UserRecord, 'username' | 'sub' | 'status' | 'attributes'>,
  validationData: Record<string, string> | null,
  clientMetadata: Record<string, string> | undefined,
): TriggerEvent {
  const attributes = { ...user.attributes };
  return envelope(
    origin,
    source,
    user.username,
    { userAttributes: attributes, validationData, ...(clientMetadata ? { clientMetadata } : {}) },
    { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  );
}

export type CustomMessageSource = 'CustomMessage_SignUp' | 'CustomMessage_ResendCode' | 'CustomMessage_AdminCreateUser' | 'CustomMessage_Authentication' | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_UpdateUserAttribute' | 'CustomMessage_VerifyUserAttribute';

export function customMessageEvent(
  origin: EventOrigin,
  source: CustomMessageSource,
  user: Pick<UserRecord, 'username' | 'sub' | 'status' | 'attributes'>,
  clientMetadata: Record<string, string> | undefined,
): TriggerEvent {
  return envelope(
    origin,
    source,
    user.username,
    {
      userAttributes: eventAttributes(origin.pool, user),
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    { smsMessage: null, emailMessage: null, emailSubject: null },
  );
}

export function postConfirmationEvent(
  origin: EventOrigin,
  user: Pick<UserRecord, 'username' | 'sub' | 'status' | 'attributes'>,
  clientMetadata: Record<string, string> | undefined,
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword' = 'PostConfirmation_ConfirmSignUp',
): TriggerEvent {
  return envelope(
    origin,
    source,
    user.username,
    { userAttributes: eventAttributes(origin.pool, user), ...(clientMetadata ? { clientMetadata } : {}) },
    {},
  );
}

/**
 * Sent before a password is checked. `validationData` is the InitiateAuth ClientMetadata (null when
 * none was sent, as PreSignUp has it); `userNotFound` exists only under PreventUserExistenceErrors,
 * the only setting under which unknown users reach the function at all.
 */
export function preAuthenticationEvent(
  origin: EventOrigin,
  userName: string,
  user: Pick<UserRecord, 'sub' | 'status' | 'attributes'> | undefined,
  validationData: Record<string, string> | undefined,
  preventUserExistenceErrors: boolean,
): TriggerEvent {
  return envelope(
    origin,
    'PreAuthentication_Authentication',
    userName,
    {
      userAttributes: user ? eventAttributes(origin.pool, user) : {},
      validationData: validationData ?? null,
      ...(preventUserExistenceErrors ? { userNotFound: user === undefined } : {}),
    },
    {},
  );
}

/** Remembered devices are not implemented, so no sign-in is ever from a new device. */
export function postAuthenticationEvent(
  origin: EventOrigin,
  user: Pick<UserRecord, 'username' | 'sub' | 'status' | 'attributes'>,
  clientMetadata: Record<string, string> | undefined,
): TriggerEvent {
  return envelope(
    origin,
    'PostAuthentication_Authentication',
    user.username,
    { userAttributes: eventAttributes(origin.pool, user), newDeviceUsed: false, ...(clientMetadata ? { clientMetadata } : {}) },
    {},
  );
}

/** HostedAuth: tokens the domain's OAuth endpoints issue after a sign-in on the hosted pages. */
export type TokenGenerationSource = 'TokenGeneration_Authentication' | 'TokenGeneration_HostedAuth' | 'TokenGeneration_RefreshTokens' | 'TokenGeneration_NewPasswordChallenge';

/**
 * Version 1 describes the ID token only; versions 2 and 3 add the access token's scopes and expect
 * `claimsAndScopeOverrideDetails` back instead of `claimsOverrideDetails`.
 */
export function preTokenGenerationEvent(
  origin: EventOrigin,
  source: TokenGenerationSource,
  user: Pick<UserRecord, 'username' | 'sub' | 'status' | 'attributes'>,
  options: {
    version: TriggerEvent['version'];
    groups: readonly string[];
    /** The groups' IAM roles and the preferred one, as the ID token would carry them. */
    roles?: readonly string[];
    preferredRole?: string | null;
    scopes: readonly string[];
    clientMetadata: Record<string, string> | undefined;
  },
): TriggerEvent {
  const v1 = options.version === '1';
  return envelope(
    origin,
    source,
    user.username,
    {
      userAttributes: eventAttributes(origin.pool, user),
      groupConfiguration: { groupsToOverride: [...options.groups], iamRolesToOverride: [...(options.roles ?? [])], preferredRole: options.preferredRole ?? null },
      ...(v1 ? {} : { scopes: [...options.scopes] }),
      ...(options.clientMetadata ? { clientMetadata: options.clientMetadata } : {}),
    },
    v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
    options.version,
  );
}
