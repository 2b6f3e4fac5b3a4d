/**
 * @module The PostgreSQL bulk import of users: one transaction per chunk, each a handful of round
 * trips whatever its size, since keys are read and rows written as `unnest` arrays. The chunk's
 * alias values are locked first under the advisory locks SignUp and ConfirmSignUp take, so a
 * concurrent confirmation cannot see a value free that the import is claiming (and the reverse).
 */
import type pg from 'pg';
import { confirmedAtInsert, passwordSetAt } from '../rows.ts';
import { aliasSlot, importChunks, sortImportChunk, type HeldKeys, type ImportedUser, type ImportSkip, type ImportUsersResult } from '../user-store.ts';
import { statements, type Row } from './context.ts';
import { orIfPoolGone } from './guards.ts';
import { inTransaction } from './transaction.ts';

export const importSql = {
  // The same keys and the same order as insertUser's lockAliases; the subquery keeps the array's order.
  aliasLocks: `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
    FROM (SELECT k FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n) AS ordered`,
  usernamesHeld: 'SELECT username_key FROM users WHERE pool_id = $1 AND username_key = ANY($2::text[])',
  subsHeld: 'SELECT sub FROM users WHERE pool_id = $1 AND sub = ANY($2::text[])',
  aliasesHeld: `SELECT a.attribute, a.value_key FROM aliases a
    JOIN unnest($2::text[], $3::text[]) AS k(attribute, value_key) ON a.attribute = k.attribute AND a.value_key = k.value_key
    WHERE a.pool_id = $1`,
  // A row a concurrent insertUser took after the read above is left out here and reported as taken.
  usersInsert: `INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes, password_hash,
      srp_salt, srp_verifier, password_set_at, created_at, updated_at, confirmed_at)
    SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::json[], $8::text[],
      $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[])
    ON CONFLICT DO NOTHING RETURNING username_key`,
  aliasesInsert: `INSERT INTO aliases (pool_id, attribute, value_key, username_key)
    SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
} as const;

const q = statements('users_import', importSql);

export async function importUsers(pool: pg.Pool, poolId: string, users: Iterable<ImportedUser>): Promise<ImportUsersResult> {
  let imported = 0;
  const skipped: ImportSkip[] = [];
  for (const chunk of importChunks(poolId, users)) {
    const outcome = await orIfPoolGone(undefined, () => inTransaction(pool, (c) => importChunk(c, poolId, chunk)));
    if (!outcome) return { kind: 'pool-not-found' };
    imported += outcome.imported;
    skipped.push(...outcome.skipped);
  }
  return { kind: 'imported', imported, skipped };
}

async function importChunk(c: pg.PoolClient, poolId: string, chunk: readonly ImportedUser[]): Promise<{ imported: number; skipped: ImportSkip[] }> {
  const claims = chunk.flatMap(({ aliases }) => aliases);
  await c.query(q('aliasLocks', [claims.map((a) => JSON.stringify([poolId, a.attribute, a.valueKey])).sort()]));
  const column = (rows: Row[], name: string) => new Set(rows.map((row) => String(row[name])));
  const usernames = await c.query(q('usernamesHeld', [poolId, chunk.map(({ user }) => user.usernameKey)]));
  const subs = await c.query(q('subsHeld', [poolId, chunk.map(({ user }) => user.sub)]));
  const aliases = await c.query(q('aliasesHeld', [poolId, claims.map((a) => a.attribute), claims.map((a) => a.valueKey)]));
  const held: HeldKeys = {
    usernameKeys: column(usernames.rows, 'username_key'),
    subs: column(subs.rows, 'sub'),
    aliases: new Set(aliases.rows.map((row) => aliasSlot(String(row.attribute), String(row.value_key)))),
  };
  const { accepted, skipped } = sortImportChunk(chunk, held);
  if (accepted.length === 0) return { imported: 0, skipped };

  const written = column((await c.query(q('usersInsert', [poolId, ...userColumns(accepted)]))).rows, 'username_key');
  const kept = accepted.filter(({ user }) => written.has(user.usernameKey));
  for (const { user } of accepted) if (!written.has(user.usernameKey)) skipped.push({ username: user.username, reason: 'username-exists' });
  const rows = kept.flatMap(({ user, aliases }) => aliases.map((a) => [a.attribute, a.valueKey, user.usernameKey] as const));
  if (rows.length > 0) await c.query(q('aliasesInsert', [poolId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]));
  return { imported: kept.length, skipped };
}

/** One array per column of usersInsert after pool_id, with insertUser's conversions. */
function userColumns(entries: readonly ImportedUser[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const { user, srp, passwordSetAt: setAt } of entries) {
    const row = [
      user.usernameKey, user.username, user.sub, user.status, user.enabled, JSON.stringify(user.attributes), user.passwordHash,
      srp?.salt ?? null, srp?.sealedVerifier ?? null, passwordSetAt({ user, passwordSetAt: setAt }), user.createdAt, user.updatedAt, confirmedAtInsert(user),
    ];
    row.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}
