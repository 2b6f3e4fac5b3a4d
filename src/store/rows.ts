/** @module Mapping between database rows and records, shared by every backend so they cannot drift apart. */
import type { ClientRecord, ClientSecretRecord, OutboxRow, PoolRecord, UserRecord, UserStatus, DeliveryMedium, OutboxStatus } from '../domain/records.ts';
import type { AuthSessionRecord, Credentials, RefreshTokenRecord, SigningKeyRecord } from './sign-in-store.ts';

type Row = Record<string, unknown>;

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export function poolFromRow(row: Row): PoolRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    settings: json(row.settings),
    limits: json(row.limits),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function secretFromRow(row: Row): ClientSecretRecord {
  return { id: String(row.secret_id), sealed: String(row.sealed), createdAt: num(row.created_at) };
}

export function clientFromRow(row: Row, secrets: ClientSecretRecord[]): ClientRecord {
  return {
    clientId: String(row.client_id),
    poolId: String(row.pool_id),
    name: String(row.name),
    settings: json(row.settings),
    secrets,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function userFromRow(row: Row): UserRecord {
  return {
    poolId: String(row.pool_id),
    username: String(row.username),
    usernameKey: String(row.username_key),
    sub: String(row.sub),
    status: String(row.status) as UserStatus,
    enabled: row.enabled === true || row.enabled === 1 || row.enabled === '1',
    attributes: json(row.attributes),
    passwordHash: row.password_hash == null ? null : String(row.password_hash),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    ...pendingFromRow(row.pending_attributes),
    ...(row.confirmed_at == null ? {} : { confirmedAt: num(row.confirmed_at) }),
  };
}

/** Only users with values waiting carry the field, so records without any compare as before. */
function pendingFromRow(value: unknown): { pendingAttributes?: Record<string, string> } {
  if (value == null) return {};
  const pending = json<Record<string, string>>(value);
  return Object.keys(pending).length > 0 ? { pendingAttributes: pending } : {};
}

export function outboxFromRow(row: Row): OutboxRow {
  return {
    id: num(row.id),
    poolId: String(row.pool_id),
    username: String(row.username),
    medium: String(row.medium) as DeliveryMedium,
    destination: String(row.destination),
    sealedPayload: String(row.sealed_payload),
    status: String(row.status) as OutboxStatus,
    attempts: num(row.attempts),
    nextAttemptAt: num(row.next_attempt_at),
    lastError: row.last_error == null ? null : String(row.last_error),
    createdAt: num(row.created_at),
    sentAt: row.sent_at == null ? null : num(row.sent_at),
  };
}

export function credentialsFromRow(row: Row): Credentials {
  return {
    passwordHash: row.password_hash == null ? null : String(row.password_hash),
    srp: row.srp_salt == null || row.srp_verifier == null ? null : { salt: String(row.srp_salt), sealedVerifier: String(row.srp_verifier) },
    passwordSetAt: row.password_set_at == null ? null : num(row.password_set_at),
    lockout: { failures: num(row.failed_attempts), lockedUntil: num(row.locked_until), lastAttemptAt: num(row.last_attempt_at) },
  };
}

export function authSessionFromRow(row: Row): AuthSessionRecord {
  return {
    digest: String(row.digest),
    poolId: String(row.pool_id),
    clientId: String(row.client_id),
    usernameKey: String(row.username_key),
    challenge: String(row.challenge),
    sealedState: row.sealed_state == null ? null : String(row.sealed_state),
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
  };
}

/** A stored session as `takeAuthSession` and `peekAuthSession` judge it; used wins over expired. */
export function sessionVerdict(row: Row | undefined, now: number): 'live' | 'unknown' | 'used' | 'expired' {
  if (!row) return 'unknown';
  if (row.used_at != null) return 'used';
  return num(row.expires_at) <= now ? 'expired' : 'live';
}

export function refreshTokenFromRow(row: Row): RefreshTokenRecord {
  return {
    digest: String(row.digest),
    poolId: String(row.pool_id),
    clientId: String(row.client_id),
    usernameKey: String(row.username_key),
    originJti: String(row.origin_jti),
    authTime: num(row.auth_time),
    issuedAt: num(row.issued_at),
    expiresAt: num(row.expires_at),
    revokedAt: row.revoked_at == null ? null : num(row.revoked_at),
    rotatedAt: row.rotated_at == null ? null : num(row.rotated_at),
  };
}

export function signingKeyFromRow(row: Row): SigningKeyRecord {
  return {
    poolId: String(row.pool_id),
    kid: String(row.kid),
    use: String(row.key_use) as SigningKeyRecord['use'],
    sealedPrivateKey: String(row.sealed_private_key),
    publicJwk: String(row.public_jwk),
    createdAt: num(row.created_at),
    retiredAt: row.retired_at == null ? null : num(row.retired_at),
  };
}

/** When a new user's password was set: as given, else at creation if the user has a password. */
export function passwordSetAt(input: { user: UserRecord; passwordSetAt?: number }): number | null {
  return input.passwordSetAt ?? (input.user.passwordHash === null ? null : input.user.createdAt);
}

/** The attribute-name map for ListUsers filters that live in columns rather than in the attribute JSON. */
export const columnFilters: Readonly<Record<string, string>> = {
  username: 'username',
  sub: 'sub',
  'cognito:user_status': 'status',
};

/** A user stored already CONFIRMED (a PreSignUp that confirmed the sign-up) was confirmed as it was created. */
export function confirmedAtInsert(user: UserRecord): number | null {
  return user.status === 'CONFIRMED' ? user.createdAt : null;
}
