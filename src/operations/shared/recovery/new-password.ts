/** @module A new password as the account operations store it: policy first, then hash and SRP verifier made together. */
import { checkPassword } from '../../../domain/password-policy.ts';
import type { PoolView } from '../../../domain/pool-view.ts';
import type { StoredPassword } from '../../../store/account-store.ts';
import type { Services } from '../../services.ts';
import { newCredentials } from '../sign-in/credentials.ts';

/** Throws InvalidPasswordException before any hashing; `username` is the immutable one the verifier is bound to. */
export async function newPassword(s: Pick<Services, 'passwords' | 'box'>, pool: PoolView, username: string, password: string): Promise<StoredPassword> {
  checkPassword(pool.passwordPolicy, password);
  return newCredentials(s, pool.id, username, password);
}
