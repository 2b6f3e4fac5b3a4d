/** @module Token and auth-session lifetimes from an app client's settings (spec §10.6, §7.6), with the model's defaults and ranges. */

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

/** The CreateUserPoolClient members this module reads, as `ClientRecord.settings` stores them. */
export interface ValiditySettings {
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  RefreshTokenValidity?: number;
  TokenValidityUnits?: { AccessToken?: string; IdToken?: string; RefreshToken?: string };
  AuthSessionValidity?: number;
}

export interface TokenValidity {
  accessSeconds: number;
  idSeconds: number;
  refreshSeconds: number;
  /** Lifetime of each Session string between challenge steps. */
  sessionSeconds: number;
}

const UNIT_SECONDS: Record<TimeUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

const HOUR = 3600;
const DAY = 86_400;
export const DEFAULT_ACCESS_SECONDS = HOUR;
export const DEFAULT_ID_SECONDS = HOUR;
export const DEFAULT_REFRESH_SECONDS = 30 * DAY;
export const DEFAULT_SESSION_MINUTES = 3;

/** Bounds on value × unit (model documentation of TokenValidityUnitsType). */
export const VALIDITY_RANGES = {
  access: { min: 5 * 60, max: DAY },
  id: { min: 5 * 60, max: DAY },
  refresh: { min: 60 * 60, max: 3650 * DAY },
} as const;

// The wording is ours: no source records the text Cognito returns for an out-of-range validity.
export const INVALID_VALIDITY_RANGE = 'Invalid range for token validity.';

/** An unknown unit cannot get past the model validators; falling back keeps this total anyway. */
function unitSeconds(unit: string | undefined, fallback: TimeUnit): number {
  return unit !== undefined && Object.hasOwn(UNIT_SECONDS, unit) ? UNIT_SECONDS[unit as TimeUnit] : UNIT_SECONDS[fallback];
}

function settingsOf(settings: Record<string, unknown> | ValiditySettings): ValiditySettings {
  return settings as ValiditySettings;
}

/**
 * A value given without a unit is read in the model's default unit (hours for access and ID,
 * days for refresh); an absent value is the documented default whatever the unit says, since
 * "1" in a unit of seconds or minutes would be below the allowed range.
 */
export function tokenValidity(clientSettings: Record<string, unknown> | ValiditySettings): TokenValidity {
  const s = settingsOf(clientSettings);
  const units = s.TokenValidityUnits ?? {};
  const access = s.AccessTokenValidity;
  const id = s.IdTokenValidity;
  const refresh = s.RefreshTokenValidity;
  return {
    accessSeconds: access === undefined ? DEFAULT_ACCESS_SECONDS : access * unitSeconds(units.AccessToken, 'hours'),
    idSeconds: id === undefined ? DEFAULT_ID_SECONDS : id * unitSeconds(units.IdToken, 'hours'),
    // The model says a RefreshTokenValidity of 0 is replaced by the 30-day default.
    refreshSeconds: refresh === undefined || refresh === 0 ? DEFAULT_REFRESH_SECONDS : refresh * unitSeconds(units.RefreshToken, 'days'),
    sessionSeconds: (s.AuthSessionValidity ?? DEFAULT_SESSION_MINUTES) * 60,
  };
}

/**
 * The message for Create/UpdateUserPoolClient to refuse with, or null when every given validity
 * is in range. The model's raw bounds (1–86400, 0–315360000) are checked by the generated
 * validators; this adds the value × unit rule they cannot express.
 */
export function checkValidityRanges(settings: Record<string, unknown> | ValiditySettings): string | null {
  const s = settingsOf(settings);
  const units = s.TokenValidityUnits ?? {};
  const within = (seconds: number, range: { min: number; max: number }) => seconds >= range.min && seconds <= range.max;
  if (s.AccessTokenValidity !== undefined && !within(s.AccessTokenValidity * unitSeconds(units.AccessToken, 'hours'), VALIDITY_RANGES.access)) {
    return INVALID_VALIDITY_RANGE;
  }
  if (s.IdTokenValidity !== undefined && !within(s.IdTokenValidity * unitSeconds(units.IdToken, 'hours'), VALIDITY_RANGES.id)) {
    return INVALID_VALIDITY_RANGE;
  }
  const refresh = s.RefreshTokenValidity;
  if (refresh !== undefined && refresh !== 0 && !within(refresh * unitSeconds(units.RefreshToken, 'days'), VALIDITY_RANGES.refresh)) {
    return INVALID_VALIDITY_RANGE;
  }
  return null;
}
