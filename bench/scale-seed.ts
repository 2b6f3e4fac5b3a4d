/**
 * @module Seeds a pool with confirmed users through the store's own bulk intent, on the database a
 * running server uses. Each user is what SignUp followed by ConfirmSignUp would leave: the same key
 * normalisation, a fresh `sub`, email verified and its alias claimed. One argon2id hash, made once
 * with the project's hasher, is shared by all, so seeding costs no hashing per user.
 */
import { activatedAliases } from '../src/domain/confirmation.ts';
import { argon2idHasher } from '../src/domain/passwords.ts';
import { viewPool, type PoolView } from '../src/domain/pool-view.ts';
import type { AliasClaim, UserRecord } from '../src/domain/records.ts';
import { aliasKey, usernameKey } from '../src/domain/usernames.ts';
import { openStore } from '../src/store/open-store.ts';
import type { ImportedUser } from '../src/store/user-store.ts';
import { newSub } from '../src/util/ids.ts';
import { PASSWORD } from './scenario.ts';

/** The login (email) of seeded user `i`; every one starts with SEED_PREFIX, which the dense filter matches. */
export const SEED_PREFIX = 'seed-';
export const seedEmail = (i: number): string => `${SEED_PREFIX}${String(i).padStart(7, '0')}@example.com`;

export interface SeedResult {
  users: number;
  seconds: number;
  usersPerSecond: number;
  /** Usernames of users spread over the seeded range, for the exact-username filter. */
  sampleUsernames: string[];
}

const SAMPLES = 64;
const PROGRESS_EVERY = 100_000;

/** A user as SignUp would create it for `login`, then confirmed as ConfirmSignUp (AutoVerifiedAttributes email) would. */
function seededUser(view: PoolView, poolId: string, login: string, passwordHash: string, now: number): ImportedUser {
  const sub = newSub();
  const attributes: Record<string, string> = { email: login, email_verified: 'true' };
  // Email-as-username pools keep a UUID as the username and the email as an alias from creation.
  const signsInWithAttribute = view.usernameAttributes.length > 0;
  const username = signsInWithAttribute ? sub : login.slice(0, login.indexOf('@'));
  const aliases: AliasClaim[] = signsInWithAttribute ? [{ attribute: 'email', valueKey: aliasKey(view, 'email', login) }] : activatedAliases(view, attributes);
  const user: UserRecord = {
    poolId, username, usernameKey: usernameKey(view, username), sub, status: 'CONFIRMED', enabled: true,
    attributes, passwordHash, createdAt: now, updatedAt: now,
  };
  return { user, aliases, passwordSetAt: now };
}

/** Opens the store on `db` with the store's own open function, imports `count` users and closes it. */
export async function seedUsers(db: string, poolId: string, count: number, log: (line: string) => void): Promise<SeedResult> {
  const passwordHash = await argon2idHasher.hash(PASSWORD);
  const store = await openStore({ db, sqliteSynchronous: 'FULL' });
  try {
    const pool = await store.getUserPool(poolId);
    if (!pool) throw new Error(`pool ${poolId} is not in ${db}`);
    const view = viewPool(pool);
    const sampleUsernames: string[] = [];
    const every = Math.max(1, Math.floor(count / SAMPLES));
    const started = performance.now();
    const now = Date.now();
    function* users(): Generator<ImportedUser> {
      for (let i = 0; i < count; i++) {
        const entry = seededUser(view, poolId, seedEmail(i), passwordHash, now);
        if (i % every === Math.floor(every / 2) && sampleUsernames.length < SAMPLES) sampleUsernames.push(entry.user.username);
        if (i > 0 && i % PROGRESS_EVERY === 0) log(`  seeded ${i} users, ${Math.round(i / ((performance.now() - started) / 1000))}/s`);
        yield entry;
      }
    }
    const result = await store.importUsers(poolId, users());
    if (result.kind !== 'imported') throw new Error(`the import found no pool ${poolId}`);
    if (result.imported !== count) throw new Error(`imported ${result.imported} of ${count} users; first skipped: ${JSON.stringify(result.skipped[0])}`);
    const seconds = (performance.now() - started) / 1000;
    return { users: count, seconds, usersPerSecond: count / seconds, sampleUsernames };
  } finally {
    await store.close();
  }
}
