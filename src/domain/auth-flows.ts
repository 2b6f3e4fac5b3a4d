/**
 * @module Which sign-in flow each operation accepts, which client setting enables it, and which
 * AuthParameters it needs (sign-in spec §3.1–§3.3), as data the operations consult in order.
 */

export type AuthOperation = 'InitiateAuth' | 'AdminInitiateAuth';

/** Flows that belong to one operation only (§3.1); the others are valid on both. */
const ONLY_ON: Readonly<Record<string, AuthOperation>> = {
  USER_PASSWORD_AUTH: 'InitiateAuth',
  ADMIN_USER_PASSWORD_AUTH: 'AdminInitiateAuth',
  ADMIN_NO_SRP_AUTH: 'AdminInitiateAuth',
};

/** The ALLOW_* value enabling each flow, and the legacy value that also does (§3.3). */
const ENABLED_BY: Readonly<Record<string, readonly string[]>> = {
  USER_SRP_AUTH: ['ALLOW_USER_SRP_AUTH'],
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  CUSTOM_AUTH: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'],
  REFRESH_TOKEN_AUTH: ['ALLOW_REFRESH_TOKEN_AUTH'],
  REFRESH_TOKEN: ['ALLOW_REFRESH_TOKEN_AUTH'],
  USER_AUTH: ['ALLOW_USER_AUTH'],
};

/** Required AuthParameters per flow, in the order their absence is reported (§3.2). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  USER_PASSWORD_AUTH: ['USERNAME', 'PASSWORD'],
  ADMIN_USER_PASSWORD_AUTH: ['USERNAME', 'PASSWORD'],
  ADMIN_NO_SRP_AUTH: ['USERNAME', 'PASSWORD'],
  USER_SRP_AUTH: ['USERNAME', 'SRP_A'],
  REFRESH_TOKEN_AUTH: ['REFRESH_TOKEN'],
  REFRESH_TOKEN: ['REFRESH_TOKEN'],
  CUSTOM_AUTH: ['USERNAME'],
  USER_AUTH: ['USERNAME'],
};

const LEGACY = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);

export function flowValidOn(flow: string, operation: AuthOperation): boolean {
  const only = ONLY_ON[flow];
  return only === undefined || only === operation;
}

/**
 * Legacy lists (no ALLOW_* value) always allowed SRP and refresh (§3.3, I): clients created before
 * the ALLOW_* values existed kept working with both.
 */
export function flowEnabled(flow: string, explicitAuthFlows: readonly string[]): boolean {
  const legacyList = explicitAuthFlows.length > 0 && explicitAuthFlows.every((f) => LEGACY.has(f));
  if (legacyList && (flow === 'USER_SRP_AUTH' || flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN')) return true;
  return (ENABLED_BY[flow] ?? []).some((value) => explicitAuthFlows.includes(value));
}

/** The first required parameter that is missing (absent or not a string), if any. */
export function missingParameter(flow: string, parameters: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return (REQUIRED[flow] ?? []).find((key) => typeof parameters?.[key] !== 'string');
}
