/**
 * @module The query plans of the hot-path statements, on a seeded database: EXPLAIN QUERY PLAN on
 * SQLite, EXPLAIN on PostgreSQL, each statement's text imported from the store's statement
 * modules. `bench/scale.ts` prints them after each run; on its own:
 *   node --import tsx bench/query-plans.ts --db <file or postgres://...?schema=...> --pool <poolId>
 * A plan that reads a whole table (SQLite `SCAN`, PostgreSQL `Seq Scan`) is flagged.
 */
import Database from 'better-sqlite3';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/store/postgres/connect.ts';
import { q as pgSessions } from '../src/store/postgres/session-statements.ts';
import { importSql as pgImport } from '../src/store/postgres/user-import.ts';
import { filteredUserPage as pgFiltered, q as pgUsers } from '../src/store/postgres/user-statements.ts';
import { openStore } from '../src/store/open-store.ts';
import { sessionSql } from '../src/store/sqlite/session-statements.ts';
import { importSql } from '../src/store/sqlite/user-import.ts';
import { filteredUserPage, userSql } from '../src/store/sqlite/user-statements.ts';
import { encodeCursor } from '../src/store/cursor.ts';

export interface Plan {
  statement: string;
  /** Where the text comes from, e.g. `sqlite/user-statements.ts userGet`. */
  source: string;
  plan: string[];
  fullScan: boolean;
  /** Set where the plan alone hides the cost: an index range whose rows are then filtered one by one. */
  note?: string;
}

const ROW_FILTER_NOTE = 'the index gives only the start and the order; the filter is tested on each row after the cursor until 61 match, so a filter few users match reads the whole pool';
/** Only a plan that walks the primary key tests the filter row by row; one through users_by_username does not. */
const withNotes = (plans: Plan[]): Plan[] =>
  plans.map((p) => (p.statement.startsWith('ListUsers ') && p.statement.includes('=') && !p.plan.some((line) => line.includes('users_by_username')) ? { ...p, note: ROW_FILTER_NOTE } : p));

interface Sample {
  poolId: string;
  usernameKey: string;
  username: string;
  sub: string;
  email: string;
}

/*
 * The two filter clauses are built by the private `filterClause` of each backend's user-store.ts;
 * these are their outputs for `email ^= "..."` and `username = "..."`, the rest of the statement
 * comes from `filteredUserPage`. Exporting `filterClause` would let this import them too.
 */
const SQLITE_PREFIX_CLAUSE = `substr(json_extract(attributes, '$."' || ? || '"'), 1, ?) = ?`;
const PG_PREFIX_CLAUSE = 'left((attributes ->> $3::text), char_length($4::text)) = $4::text';

function sqliteStatements(s: Sample): [string, string, unknown[]][] {
  const { poolId: p, usernameKey: k } = s;
  const now = Date.now();
  const users = (name: string, key: keyof typeof userSql, params: unknown[]): [string, string, unknown[]] => [name, `sqlite/user-statements.ts ${key}`, [userSql[key], ...params]];
  const sessions = (name: string, key: keyof typeof sessionSql, params: unknown[]): [string, string, unknown[]] => [name, `sqlite/session-statements.ts ${key}`, [sessionSql[key], ...params]];
  return [
    users('user by key (SignUp, ConfirmSignUp, sign-in)', 'userGet', [p, k]),
    users('user by alias (SignUp, sign-in by email)', 'userByAlias', [p, 'email', s.email]),
    users('user by sub', 'userBySub', [p, s.sub]),
    users('alias owner (ConfirmSignUp, insertUser)', 'aliasOwner', [p, 'email', s.email]),
    users('confirm: attempts in window', 'attemptCount', [p, k, 'confirm', now - 3_600_000]),
    users('confirm: attempts prune', 'attemptPrune', [p, k, 'confirm', now - 3_600_000]),
    users('confirm: code read', 'codeGet', [p, k]),
    users('confirm: user update', 'userConfirm', ['{}', now, now, p, k]),
    users('confirm: code delete', 'codeDelete', [p, k]),
    users('ListUsers page after cursor', 'userPage', [p, k, 61]),
    ['ListUsers email ^= (page after cursor)', 'sqlite filteredUserPage + filterClause', [filteredUserPage(SQLITE_PREFIX_CLAUSE), p, k, 'email', 5, 'seed-', 61]],
    ['ListUsers username = (first page)', 'sqlite filteredUserPage + filterClause', [filteredUserPage('username = ?'), p, '', s.username, 61]],
    users('DescribeUserPool user count (not per request)', 'userCount', [p]),
    sessions('sign-in: credentials', 'credentialsGet', [p, k]),
    sessions('sign-in: lockout update', 'lockoutSet', [0, 0, now, p, k]),
    sessions('sign-in: refresh prune', 'refreshPrune', [p, k, now]),
    sessions('sign-in: session prune', 'sessionPrune', [now]),
    ['import: username held', 'sqlite/user-import.ts usernameHeld', [importSql.usernameHeld, p, k]],
    ['import: sub held', 'sqlite/user-import.ts subHeld', [importSql.subHeld, p, s.sub]],
  ];
}

function pgStatements(s: Sample): [string, string, pg.QueryConfig][] {
  const { poolId: p, usernameKey: k } = s;
  const now = Date.now();
  const users = (name: string, key: Parameters<typeof pgUsers>[0], values: unknown[]): [string, string, pg.QueryConfig] => [name, `postgres/user-statements.ts ${key}`, pgUsers(key, values)];
  const sessions = (name: string, key: Parameters<typeof pgSessions>[0], values: unknown[]): [string, string, pg.QueryConfig] => [name, `postgres/session-statements.ts ${key}`, pgSessions(key, values)];
  return [
    users('user by key (SignUp, sign-in)', 'userGet', [p, k]),
    users('user lock (ConfirmSignUp)', 'userLock', [p, k]),
    users('user by alias (SignUp, sign-in by email)', 'userByAlias', [p, 'email', s.email]),
    users('user by sub', 'userBySub', [p, s.sub]),
    users('alias owner (ConfirmSignUp, insertUser)', 'aliasOwner', [p, 'email', s.email]),
    users('confirm: attempts and code', 'attemptsAndCode', [p, k, 'confirm', now - 3_600_000]),
    users('confirm: user update', 'userConfirm', ['{}', now, p, k]),
    users('confirm: code delete', 'codeDelete', [p, k]),
    users('ListUsers page after cursor', 'userPage', [p, k, 61]),
    users('DescribeUserPool user count (not per request)', 'userCount', [p]),
    ['ListUsers email ^= (page after cursor)', 'postgres filteredUserPage + filterClause', pgFiltered(PG_PREFIX_CLAUSE, 5, [p, k, 'email', 'seed-', 61])],
    ['ListUsers username = (first page)', 'postgres filteredUserPage + filterClause', pgFiltered('username = $3::text', 4, [p, '', s.username, 61])],
    sessions('sign-in: credentials', 'credentialsGet', [p, k]),
    sessions('sign-in: credentials lock', 'credentialsLock', [p, k]),
    sessions('sign-in: lockout update', 'lockoutSet', [0, 0, now, p, k]),
    sessions('sign-in: refresh prune', 'refreshPrune', [p, k, now]),
    sessions('sign-in: session prune', 'sessionPrune', [now]),
    ['import: usernames held', 'postgres/user-import.ts usernamesHeld', { text: pgImport.usernamesHeld, values: [p, [k]] }],
    ['import: aliases held', 'postgres/user-import.ts aliasesHeld', { text: pgImport.aliasesHeld, values: [p, ['email'], [s.email]] }],
  ];
}

/** A seeded user to bind into the statements, read through the store. */
async function sampleOf(db: string, poolId: string): Promise<Sample> {
  const store = await openStore({ db, sqliteSynchronous: 'FULL' });
  try {
    const total = await store.countUsers(poolId);
    // A user from the middle of the key range, where a scan would have the most to read on either side.
    const after = (await store.listUsers(poolId, 1, encodeCursor('8'))).items[0] ?? (await store.listUsers(poolId, 1)).items[0];
    if (!after) throw new Error(`pool ${poolId} has no users (of ${total})`);
    return { poolId, usernameKey: after.usernameKey, username: after.username, sub: after.sub, email: String(after.attributes.email ?? '').toLowerCase() };
  } finally {
    await store.close();
  }
}

export async function hotPathPlans(db: string, poolId: string): Promise<Plan[]> {
  const sample = await sampleOf(db, poolId);
  if (/^postgres(ql)?:\/\//u.test(db)) {
    const client = new pg.Client(parseDatabaseUrl(db).pool);
    await client.connect();
    try {
      const plans: Plan[] = [];
      for (const [statement, source, query] of pgStatements(sample)) {
        const rows = (await client.query({ text: `EXPLAIN ${query.text}`, values: query.values })).rows as { 'QUERY PLAN': string }[];
        const plan = rows.map((row) => row['QUERY PLAN']);
        plans.push({ statement, source, plan, fullScan: plan.some((line) => /Seq Scan on (users|aliases|attempts|signup_codes|refresh_tokens|sessions)\b/u.test(line)) });
      }
      return withNotes(plans);
    } finally {
      await client.end();
    }
  }
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return withNotes(sqliteStatements(sample).map(([statement, source, [sql, ...params]]) => {
      const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${String(sql)}`).all(...params) as { id: number; parent: number; detail: string }[];
      const depth = new Map<number, number>();
      const plan = rows.map((row) => {
        depth.set(row.id, (depth.get(row.parent) ?? -1) + 1);
        return `${'  '.repeat(depth.get(row.id)!)}${row.detail}`;
      });
      return { statement, source, plan, fullScan: plan.some((line) => /^\s*SCAN (users|aliases|attempts|signup_codes|refresh_tokens|sessions)\b(?! USING (COVERING )?INDEX)/u.test(line)) };
    }));
  } finally {
    sqlite.close();
  }
}

export function renderPlans(plans: readonly Plan[]): string {
  return plans
    .map((p) => `${p.fullScan ? '[FULL SCAN] ' : ''}${p.statement}  (${p.source})\n${p.plan.map((line) => `    ${line}`).join('\n')}${p.note ? `\n    -- ${p.note}` : ''}`)
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { db: { type: 'string' }, pool: { type: 'string' } } });
  if (!values.db || !values.pool) {
    console.error('usage: node --import tsx bench/query-plans.ts --db <sqlite file | postgres://...?schema=...> --pool <poolId>');
    process.exit(2);
  }
  console.log(renderPlans(await hotPathPlans(values.db, values.pool)));
}
