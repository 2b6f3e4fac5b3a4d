/** @module PostgreSQL's answers that the store turns into results rather than errors. */
import pg from 'pg';

/**
 * PostgreSQL text cannot hold U+0000 and refuses any parameter that has one; since no stored value
 * can contain it, a lookup by such a value simply finds nothing.
 */
export function holdsNul(value: string): boolean {
  return value.includes('\u0000');
}

/**
 * A pool deleted between the caller's lookup and this insert fails the foreign key; that is the
 * database settling the race, so it becomes the store's answer for a missing pool, not an error.
 */
export async function orIfPoolGone<T>(gone: T, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === '23503' && error.constraint?.endsWith('pool_id_fkey')) return gone;
    throw error;
  }
}
