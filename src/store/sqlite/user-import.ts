/**
 * @module The SQLite bulk import of users. Each chunk is one IMMEDIATE transaction of its own, not
 * a write of the group commit: a chunk holds the write lock for milliseconds, and requests queued
 * behind it would otherwise wait for the whole import's fsyncs in one batch. Under the write lock the
 * checks for taken keys are exact, so the inserts that follow cannot conflict.
 */
import type Database from 'better-sqlite3';
import type { GroupCommitter } from './group-commit.ts';
import { confirmedAtInsert, passwordSetAt } from '../rows.ts';
import { aliasSlot, importChunks, sortImportChunk, type HeldKeys, type ImportedUser, type ImportSkip, type ImportUsersResult } from '../user-store.ts';
import { prepareAll } from './context.ts';
import { userSql } from './user-statements.ts';

const USER_COLUMNS = [
  'pool_id', 'username_key', 'username', 'sub', 'status', 'enabled', 'attributes', 'password_hash',
  'srp_salt', 'srp_verifier', 'password_set_at', 'created_at', 'updated_at', 'confirmed_at',
] as const;
const ALIAS_COLUMNS = ['pool_id', 'attribute', 'value_key', 'username_key'] as const;

/** The import's reads, one row each; the chunk's writes are built by `multiRowInsert`. */
export const importSql = {
  poolExists: userSql.poolExists,
  usernameHeld: 'SELECT 1 FROM users WHERE pool_id = ? AND username_key = ?',
  subHeld: 'SELECT 1 FROM users WHERE pool_id = ? AND sub = ?',
  aliasHeld: userSql.aliasOwner,
} as const;

/** `rows` rows of `columns` in one INSERT; aliases repeated within one user are written once. */
export function multiRowInsert(table: 'users' | 'aliases', rows: number): string {
  const columns = table === 'users' ? USER_COLUMNS : ALIAS_COLUMNS;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const conflict = table === 'aliases' ? ' ON CONFLICT DO NOTHING' : '';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}${conflict}`;
}

export class SqliteUserImport {
  readonly #db: Database.Database;
  readonly #writes: GroupCommitter;
  readonly #s;
  /** Keyed by table and row count; counts are powers of two, so a few statements serve every chunk. */
  readonly #inserts = new Map<string, Database.Statement>();

  constructor(db: Database.Database, writes: GroupCommitter) {
    this.#db = db;
    this.#writes = writes;
    this.#s = prepareAll(db, importSql);
  }

  async importUsers(poolId: string, users: Iterable<ImportedUser>): Promise<ImportUsersResult> {
    let imported = 0;
    const skipped: ImportSkip[] = [];
    for (const chunk of importChunks(poolId, users)) {
      const outcome = this.#db.transaction(() => this.#importChunk(poolId, chunk)).immediate();
      if (!outcome) return { kind: 'pool-not-found' };
      // The connection commits without syncing (see open.ts): a chunk counts once its fsync returned,
      // and the server's own writes and requests run meanwhile when it imports in-process.
      await this.#writes.sync();
      imported += outcome.imported;
      skipped.push(...outcome.skipped);
    }
    return { kind: 'imported', imported, skipped };
  }

  /** Undefined when the pool is gone; checked in every chunk, since it may be deleted between two. */
  #importChunk(poolId: string, chunk: readonly ImportedUser[]): { imported: number; skipped: ImportSkip[] } | undefined {
    if (!this.#s.poolExists.get(poolId)) return undefined;
    const held: HeldKeys = { usernameKeys: new Set(), subs: new Set(), aliases: new Set() };
    for (const { user, aliases } of chunk) {
      if (this.#s.usernameHeld.get(poolId, user.usernameKey)) held.usernameKeys.add(user.usernameKey);
      if (this.#s.subHeld.get(poolId, user.sub)) held.subs.add(user.sub);
      for (const alias of aliases) {
        if (this.#s.aliasHeld.get(poolId, alias.attribute, alias.valueKey)) held.aliases.add(aliasSlot(alias.attribute, alias.valueKey));
      }
    }
    const { accepted, skipped } = sortImportChunk(chunk, held);
    this.#insertRows('users', accepted.map(userRow));
    this.#insertRows('aliases', accepted.flatMap(({ user, aliases }) => aliases.map((a) => [poolId, a.attribute, a.valueKey, user.usernameKey])));
    return { imported: accepted.length, skipped };
  }

  /** Writes the rows in runs of the largest power of two that fits, each run one statement. */
  #insertRows(table: 'users' | 'aliases', rows: unknown[][]): void {
    let at = 0;
    while (at < rows.length) {
      const count = 2 ** Math.floor(Math.log2(rows.length - at));
      this.#insert(table, count).run(rows.slice(at, at + count).flat());
      at += count;
    }
  }

  #insert(table: 'users' | 'aliases', rows: number): Database.Statement {
    const key = `${table}:${rows}`;
    let statement = this.#inserts.get(key);
    if (!statement) this.#inserts.set(key, (statement = this.#db.prepare(multiRowInsert(table, rows))));
    return statement;
  }
}

/** The columns insertUser writes, in USER_COLUMNS order and with its conversions. */
function userRow({ user, srp, passwordSetAt: setAt }: ImportedUser): unknown[] {
  return [
    user.poolId, user.usernameKey, user.username, user.sub, user.status, user.enabled ? 1 : 0, JSON.stringify(user.attributes), user.passwordHash,
    srp?.salt ?? null, srp?.sealedVerifier ?? null, passwordSetAt({ user, passwordSetAt: setAt }), user.createdAt, user.updatedAt, confirmedAtInsert(user),
  ];
}

const importers = new WeakMap<Database.Database, SqliteUserImport>();

/** The import on a store's connection; its statements are prepared on first use and kept with the connection. */
export function importUsers(db: Database.Database, writes: GroupCommitter, poolId: string, users: Iterable<ImportedUser>): Promise<ImportUsersResult> {
  let importer = importers.get(db);
  if (!importer) importers.set(db, (importer = new SqliteUserImport(db, writes)));
  return importer.importUsers(poolId, users);
}
