/** @module Mapping between database rows and records, shared by every backend so they cannot drift apart. */
import type { ClientRecord, ClientSecretRecord, OutboxRow, PoolRecord, UserRecord, UserStatus, DeliveryMedium, OutboxStatus } from '../domain/records.ts';

type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
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
  };
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

/** The attribute-name map for ListUsers filters that live in columns rather than in the attribute JSON. */
export const columnFilters: Readonly<Record<string, string>> = {
  username: 'username',
  sub: 'sub',
  'cognito:user_status': 'status',
};
