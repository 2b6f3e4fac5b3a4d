/** @module What a PreTokenGeneration answer may change in the tokens, read from either event version and applied to built claim sets. */
import { errors } from '../../../domain/messages.ts';

export interface ClaimEdits {
  add: Record<string, unknown>;
  suppress: readonly string[];
}

export interface TokenOverrides {
  id?: ClaimEdits;
  access?: ClaimEdits & { scopesToAdd: readonly string[]; scopesToSuppress: readonly string[] };
  /** Replaces `cognito:groups` in both tokens; an empty list removes the claim. */
  groups?: readonly string[];
}

/**
 * Cognito's guide lists these as claims a function can neither modify nor suppress; the group claims
 * change only through groupOverrideDetails, and event_id is this server's own per-sign-in marker.
 */
const PROTECTED = new Set([
  'acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce',
  'origin_jti', 'sub', 'token_use', 'event_id', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role',
]);
/** The access token also carries who it was issued to and its scopes, which change only through scopesToAdd/Suppress. */
const PROTECTED_IN_ACCESS = new Set([...PROTECTED, 'client_id', 'username', 'scope']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An answer of the wrong shape fails the sign-in, as any unusable function output does. */
function objectOrNothing(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw errors.lambdaUnrecognizable();
  return value;
}

function names(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string')) throw errors.lambdaUnrecognizable();
  return value as string[];
}

function edits(details: Record<string, unknown> | undefined): ClaimEdits | undefined {
  if (!details) return undefined;
  return { add: objectOrNothing(details.claimsToAddOrOverride) ?? {}, suppress: names(details.claimsToSuppress) };
}

/** A present groupOverrideDetails replaces the groups, so an empty one takes them away (as the guide says). */
function groups(details: unknown): readonly string[] | undefined {
  if (details === undefined) return undefined;
  return names(objectOrNothing(details)?.groupsToOverride);
}

export function readOverrides(response: Record<string, unknown> | undefined, version: '1' | '2' | '3'): TokenOverrides {
  if (!response) return {};
  if (version === '1') {
    const details = objectOrNothing(response.claimsOverrideDetails);
    if (!details) return {};
    return { id: edits(details), groups: groups(details.groupOverrideDetails) };
  }
  const details = objectOrNothing(response.claimsAndScopeOverrideDetails);
  if (!details) return {};
  const access = objectOrNothing(details.accessTokenGeneration);
  return {
    id: edits(objectOrNothing(details.idTokenGeneration)),
    ...(access ? { access: { ...edits(access)!, scopesToAdd: names(access.scopesToAdd), scopesToSuppress: names(access.scopesToSuppress) } } : {}),
    groups: groups(details.groupOverrideDetails),
  };
}

/** Suppression wins over an override of the same claim, as the guide specifies. */
function applyEdits(claims: Record<string, unknown>, change: ClaimEdits | undefined, fixed: ReadonlySet<string>): void {
  if (!change) return;
  const suppressed = new Set(change.suppress.filter((name) => !fixed.has(name)));
  for (const [name, value] of Object.entries(change.add)) if (!fixed.has(name) && !suppressed.has(name) && value !== undefined) claims[name] = value;
  for (const name of suppressed) delete claims[name];
}

function applyGroups(claims: Record<string, unknown>, list: readonly string[] | undefined): void {
  if (list === undefined) return;
  if (list.length === 0) delete claims['cognito:groups'];
  else claims['cognito:groups'] = [...list];
}

export function overrideIdClaims<T extends object>(claims: T, overrides: TokenOverrides | undefined): T {
  if (!overrides) return claims;
  const copy = { ...claims } as Record<string, unknown>;
  applyGroups(copy, overrides.groups);
  applyEdits(copy, overrides.id, PROTECTED);
  return copy as T;
}

export function overrideAccessClaims<T extends { scope: string }>(claims: T, overrides: TokenOverrides | undefined): T {
  if (!overrides) return claims;
  const copy = { ...claims } as Record<string, unknown>;
  applyGroups(copy, overrides.groups);
  const access = overrides.access;
  applyEdits(copy, access, PROTECTED_IN_ACCESS);
  if (access && (access.scopesToAdd.length > 0 || access.scopesToSuppress.length > 0)) {
    const drop = new Set(access.scopesToSuppress);
    const scopes = [...new Set([...claims.scope.split(' ').filter(Boolean), ...access.scopesToAdd])].filter((scope) => !drop.has(scope));
    if (scopes.length > 0) copy.scope = scopes.join(' ');
    else delete copy.scope;
  }
  return copy as T;
}
