/** @module The claim sets of access and ID tokens from API sign-in (spec §10.3, §10.4), in the order AWS emits them. */
import { randomUUID } from 'node:crypto';
import type { UserRecord } from '../records.ts';

/** The only scope an API sign-in grants; GetUser and friends require it (spec §1, §11). */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export interface AccessTokenClaims {
  sub: string;
  'cognito:groups'?: string[];
  iss: string;
  client_id: string;
  origin_jti: string;
  event_id: string;
  token_use: 'access';
  scope: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
  username: string;
}

export interface IdTokenClaims {
  sub: string;
  'cognito:groups'?: string[];
  'cognito:roles'?: string[];
  aud: string;
  email_verified?: boolean;
  phone_number_verified?: boolean;
  'cognito:preferred_role'?: string;
  origin_jti: string;
  event_id: string;
  token_use: 'id';
  auth_time: number;
  iss: string;
  'cognito:username': string;
  exp: number;
  iat: number;
  jti: string;
  /** Readable user attributes, standard and `custom:`, as strings. */
  [attribute: string]: string | number | boolean | string[] | undefined;
}

interface CommonInput {
  issuer: string;
  clientId: string;
  /** Shared by every token of one sign-in and kept across refreshes: the family revocation acts on (spec §10.7). */
  originJti: string;
  /** One per authentication event; a refresh gets a new one (spec §5.3). */
  eventId: string;
  /** Epoch milliseconds of the original authentication, as the project's Clock reports time. */
  authTime: number;
  /** Epoch milliseconds, from the Clock. */
  now: number;
  validitySeconds: number;
  /** Group names in the caller's order; the claim is left out when there are none. */
  groups?: readonly string[];
}

export interface AccessTokenInput extends CommonInput {
  user: Pick<UserRecord, 'sub' | 'username'>;
  /** Space-separated; API sign-in always grants ADMIN_SCOPE. */
  scope?: string;
}

export interface IdTokenInput extends CommonInput {
  user: Pick<UserRecord, 'sub' | 'username' | 'attributes'>;
  /** The client's ReadAttributes; absent or empty means the client may read every attribute. */
  readableAttributes?: readonly string[] | null;
  /** The IAM roles of the user's groups; the claim is left out when there are none. */
  roles?: readonly string[];
  /** The role of the user's highest-precedence group, when one role wins; left out otherwise. */
  preferredRole?: string | null;
}

/** Whole seconds, and exp − iat exactly the configured validity (spec §10.2). */
function times(input: CommonInput): { auth_time: number; iat: number; exp: number } {
  if (!Number.isSafeInteger(input.validitySeconds) || input.validitySeconds <= 0) {
    throw new RangeError(`token validity must be a positive whole number of seconds, got ${input.validitySeconds}`);
  }
  const iat = Math.floor(input.now / 1000);
  return { auth_time: Math.floor(input.authTime / 1000), iat, exp: iat + input.validitySeconds };
}

function groupsClaim(groups: readonly string[] | undefined): { 'cognito:groups'?: string[] } {
  return groups !== undefined && groups.length > 0 ? { 'cognito:groups': [...groups] } : {};
}

/** Order follows spec §10.3's recommendation, which matches AWS captures. */
export function accessTokenClaims(input: AccessTokenInput): AccessTokenClaims {
  const t = times(input);
  return {
    sub: input.user.sub,
    ...groupsClaim(input.groups),
    iss: input.issuer,
    client_id: input.clientId,
    origin_jti: input.originJti,
    event_id: input.eventId,
    token_use: 'access',
    scope: input.scope ?? ADMIN_SCOPE,
    auth_time: t.auth_time,
    exp: t.exp,
    iat: t.iat,
    jti: randomUUID(),
    username: input.user.username,
  };
}

/** AWS sends these as JSON booleans in ID tokens while storing and returning them as strings everywhere else. */
const BOOLEAN_ATTRIBUTES = ['email_verified', 'phone_number_verified'] as const;

/**
 * Names the server sets itself: an attribute can never replace them, whatever the schema allows.
 * `dev:` attributes are developer-only and never readable by an app client.
 */
const RESERVED = new Set([
  'sub', 'aud', 'iss', 'exp', 'iat', 'jti', 'nbf', 'auth_time', 'token_use', 'event_id', 'origin_jti',
  'cognito:username', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role', 'identities', 'at_hash', 'nonce',
  ...BOOLEAN_ATTRIBUTES,
]);

function readableFilter(readable: readonly string[] | null | undefined): (name: string) => boolean {
  if (readable === undefined || readable === null || readable.length === 0) return () => true;
  const allowed = new Set(readable);
  return (name) => allowed.has(name);
}

/**
 * Group claims (docs/groups.md): AWS's samples put `cognito:roles` just before `aud` and
 * `cognito:preferred_role` just after `email_verified`.
 *
 * Order (I): the 2019 and 2020 captures give `sub, aud, email_verified, event_id, token_use,
 * auth_time, iss, cognito:username, exp, iat, <attributes>`; the later claims sit beside their
 * relatives (groups after sub as in access tokens, origin_jti before event_id, jti after iat).
 * Attributes follow in name order, so the bytes do not depend on how the store ordered them.
 */
export function idTokenClaims(input: IdTokenInput): IdTokenClaims {
  const t = times(input);
  const attributes = input.user.attributes;
  const readable = readableFilter(input.readableAttributes);

  const flags: { email_verified?: boolean; phone_number_verified?: boolean } = {};
  for (const name of BOOLEAN_ATTRIBUTES) {
    const value = attributes[name];
    if (value !== undefined && readable(name)) flags[name] = value === 'true';
  }

  const rest: Record<string, string> = {};
  for (const name of Object.keys(attributes).sort()) {
    if (RESERVED.has(name) || name.startsWith('dev:') || !readable(name)) continue;
    rest[name] = String(attributes[name]);
  }

  return {
    sub: input.user.sub,
    ...groupsClaim(input.groups),
    ...(input.roles !== undefined && input.roles.length > 0 ? { 'cognito:roles': [...input.roles] } : {}),
    aud: input.clientId,
    ...flags,
    ...(input.preferredRole ? { 'cognito:preferred_role': input.preferredRole } : {}),
    origin_jti: input.originJti,
    event_id: input.eventId,
    token_use: 'id',
    auth_time: t.auth_time,
    iss: input.issuer,
    'cognito:username': input.user.username,
    exp: t.exp,
    iat: t.iat,
    jti: randomUUID(),
    ...rest,
  };
}
