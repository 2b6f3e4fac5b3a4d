/** @module Opaque pagination cursors: clients must not build them, so they are encoded, not plain keys. */
import { errors } from '../domain/messages.ts';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last page. */
  next?: string;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * Only a token this server could have issued is accepted: one that re-encodes to itself (so no
 * invalid UTF-8 or stray bits) and holds no NUL, which no key has and PostgreSQL text cannot carry.
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw errors.paginationToken();
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(key) !== cursor || key.includes('\u0000')) throw errors.paginationToken();
  return key;
}

/** Cuts a result fetched with `limit + 1` rows into a page and the cursor after its last item. */
export function page<T>(items: T[], limit: number, keyOf: (item: T) => string): Page<T> {
  if (items.length <= limit) return { items };
  const kept = items.slice(0, limit);
  return { items: kept, next: encodeCursor(keyOf(kept[kept.length - 1] as T)) };
}
