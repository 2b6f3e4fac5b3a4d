/** @module The stored shapes of pools, clients, users, codes and queued messages, independent of any database. */

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'ARCHIVED'
  | 'COMPROMISED'
  | 'UNKNOWN'
  | 'RESET_REQUIRED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'EXTERNAL_PROVIDER';

/** Attributes that can be sign-in aliases; only these ever enter the alias index. */
export type AliasAttribute = 'email' | 'phone_number' | 'preferred_username';

/** Per-pool limits that Cognito fixes but an operator of this server may tune (spec §5.6). */
export interface PoolLimits {
  confirmAttemptsPerHour: number;
  resendAttemptsPerHour: number;
}

export interface PoolRecord {
  id: string;
  name: string;
  /** Everything CreateUserPool/UpdateUserPool accepted besides the name, stored as given. */
  settings: Record<string, unknown>;
  limits: PoolLimits;
  createdAt: number;
  updatedAt: number;
}

export interface ClientSecretRecord {
  id: string;
  /** Sealed with the server key: the plain secret is needed again to verify SecretHash. */
  sealed: string;
  createdAt: number;
}

export interface ClientRecord {
  clientId: string;
  poolId: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: ClientSecretRecord[];
  createdAt: number;
  updatedAt: number;
}

export interface UserRecord {
  poolId: string;
  username: string;
  /** The username as compared: lower-cased in case-insensitive pools. */
  usernameKey: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  passwordHash: string | null;
  createdAt: number;
  updatedAt: number;
  /**
   * New email/phone values waiting for verification while the old ones stay active
   * (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate); absent when none wait.
   */
  pendingAttributes?: Record<string, string>;
  /** When the sign-up was confirmed (by code, by an admin, or by PreSignUp at SignUp); absent otherwise. */
  confirmedAt?: number;
}

/** An alias value a user holds; `valueKey` is the value as compared. */
export interface AliasClaim {
  attribute: AliasAttribute;
  valueKey: string;
}

export interface CodeRecord {
  /** Keyed HMAC of the code; the code itself is never stored. */
  digest: string;
  /** The attribute the code was sent to; it becomes verified on confirmation. */
  deliveredTo: 'email' | 'phone_number' | null;
  expiresAt: number;
  createdAt: number;
}

export type DeliveryMedium = 'EMAIL' | 'SMS';

export interface OutboxMessage {
  poolId: string;
  username: string;
  medium: DeliveryMedium;
  destination: string;
  /** Sealed JSON of {subject, body, code}: queued messages carry live codes. */
  sealedPayload: string;
  createdAt: number;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxRow extends OutboxMessage {
  id: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: number | null;
}

export interface SessionRecord {
  digest: string;
  poolId: string;
  usernameKey: string;
  clientId: string;
  expiresAt: number;
}
