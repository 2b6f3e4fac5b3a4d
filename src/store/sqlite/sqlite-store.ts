/**
 * @module The SQLite store: one connection and one group committer shared by the aggregates
 * (config, users and codes, sessions and tokens, outbox), assembled into one `Store`.
 */
import { latestMigration } from '../migrations.ts';
import { assemble } from '../assemble.ts';
import type { Store } from '../store.ts';
import { ConfigCache } from './config-cache.ts';
import { SqliteAccountStore } from './account-store.ts';
import { SqliteAttributeStore } from './attribute-store.ts';
import { SqliteConfigStore } from './config-store.ts';
import { SqliteGroupStore } from './group-store.ts';
import { SqliteOAuthGrantStore } from './oauth-grant-store.ts';
import type { SqliteContext } from './context.ts';
import { GroupCommitter } from './group-commit.ts';
import { openSqlite, type SqliteOptions } from './open.ts';
import { SqliteOutboxStore } from './outbox-store.ts';
import { SqliteSessionStore } from './session-store.ts';
import { SqliteUserStore } from './user-store.ts';

export function openSqliteStore(options: SqliteOptions): Store {
  const opened = openSqlite(options);
  const { db } = opened;
  const ctx: SqliteContext = { db, writes: new GroupCommitter(db, opened.walFd, options.commitHooks), cache: new ConfigCache() };
  const ping = db.prepare('SELECT 1');
  const schemaVersion = db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');

  const outbox = new SqliteOutboxStore(ctx);
  const sessions = new SqliteSessionStore(ctx, outbox);
  const users = new SqliteUserStore(ctx, { outbox, sessions });
  const accounts = new SqliteAccountStore(ctx, outbox, users);
  const attributes = new SqliteAttributeStore(ctx, outbox);
  const groups = new SqliteGroupStore(ctx);
  const grants = new SqliteOAuthGrantStore(ctx);
  // The wipe goes children first: refresh tokens reference users, users and signing keys reference pools.
  const config = new SqliteConfigStore(ctx, [outbox, accounts, attributes, groups, grants, sessions, users]);

  return assemble(
    {
      kind: 'sqlite',
      ping: async () => {
        ping.get();
      },
      schemaCurrent: async () => Number((schemaVersion.get() as { v: number }).v) >= latestMigration('sqlite'),
      close: async () => {
        ctx.writes.drain();
        opened.close();
      },
      settled: () => ctx.writes.durable(ctx.writes.committed),
    },
    { config, users, sessions, outbox, accounts, attributes, groups, grants },
  );
}
