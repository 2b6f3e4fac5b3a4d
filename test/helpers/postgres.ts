/**
 * @module PostgreSQL for tests: finds the database (USERPOOL_TEST_PG, else 127.0.0.1:5432 if
 * something answers there), says clearly when the PostgreSQL tests are skipped, and gives each
 * run a schema of its own that it drops afterwards, so runs never collide.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

export const PG_ENV = 'USERPOOL_TEST_PG';
export const PG_DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The base URL of the test database, or undefined after printing which tests are skipped. With
 * the variable set, the tests always run, so a database that fails to connect fails them.
 */
export async function postgresForTests(what: string): Promise<string | undefined> {
  const configured = process.env[PG_ENV];
  if (configured) return configured;
  if (await answers('127.0.0.1', 5432)) return PG_DEFAULT_URL;
  console.log(`SKIPPED (no PostgreSQL on 127.0.0.1:5432): ${what}. Set ${PG_ENV}=${PG_DEFAULT_URL} to run them.`);
  return undefined;
}

export function skipReason(base: string | undefined, what: string): string | false {
  return base ? false : `${what}: no PostgreSQL; set ${PG_ENV}=${PG_DEFAULT_URL} to run`;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface TestSchema {
  /** `base` with `?schema=` pointing at a schema of its own; the server creates it on first connect. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** A fresh schema name under `base`; nothing is created until a store connects to `url`. */
export function freshSchema(base: string): TestSchema {
  const schema = `t_${process.pid}_${randomBytes(5).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema, drop: () => dropSchema(base, schema) };
}

export async function dropSchema(base: string, schema: string): Promise<void> {
  const url = new URL(base);
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const pendingDrops: { base: string; schema: string }[] = [];

/**
 * For helpers that hand out a schema without an owner to drop it (testDb): dropped when the test
 * process has nothing left to do, i.e. after every server it started has stopped.
 */
export function schemaDroppedAtExit(base: string): string {
  const made = freshSchema(base);
  if (pendingDrops.length === 0) {
    process.once('beforeExit', () => {
      const drops = pendingDrops.splice(0);
      void Promise.allSettled(drops.map((d) => dropSchema(d.base, d.schema)));
    });
  }
  pendingDrops.push({ base, schema: made.schema });
  return made.url;
}
