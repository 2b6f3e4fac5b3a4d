/**
 * @module The password-history check (PasswordHistorySize) of the operations that set a password:
 * the proposal is compared with the user's last passwords by argon2id before the transaction, and
 * the write then succeeds only if that history is still the stored one; otherwise the check runs
 * again on what a concurrent change left.
 */
import { passwordHistorySize } from '../../../domain/password-policy.ts';
import type { PoolRecord } from '../../../domain/records.ts';
import type { PasswordHasher } from '../../../domain/passwords.ts';
import type { AccountStore, HistoryGuard } from '../../../store/account-store.ts';

export interface HistoryCheck {
  /** Absent when the pool keeps no history: the write leaves the history alone. */
  guard?: HistoryGuard;
  /** The proposal is one of the user's last `size` passwords. */
  reused: boolean;
}

/** A history that changed under a check is checked again; a third change in a row is an error. */
export const HISTORY_TRIES = 3;

export async function checkHistory(
  s: { store: Pick<AccountStore, 'passwordHistory'>; passwords: PasswordHasher },
  pool: PoolRecord,
  usernameKey: string,
  proposed: string,
): Promise<HistoryCheck> {
  const size = passwordHistorySize(pool.settings);
  if (size === 0) return { reused: false };
  const seen = await s.store.passwordHistory(pool.id, usernameKey);
  if (!seen) return { reused: false };
  const recent = [...new Set([seen.current, ...seen.kept].filter((hash): hash is string => hash !== null))].slice(0, size);
  // All of them, even after a match, so the time taken says nothing about which one matched.
  const matches = await Promise.all(recent.map((hash) => s.passwords.verify(hash, proposed)));
  return { guard: { size, seen }, reused: matches.includes(true) };
}
