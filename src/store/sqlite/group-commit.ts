/**
 * @module Group commit for SQLite. With synchronous=FULL every COMMIT waits for an fsync (about a
 * third of a millisecond here), which alone would cap the server near 3,000 writes a second.
 * Writes that arrive while one batch is being prepared run one after another in a single
 * transaction, each in its own savepoint so that a failing write rolls back alone; one fsync then
 * makes the whole batch durable, and only after it does any caller get its answer.
 */
import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  readonly #db: Database.Database;
  #queue: Pending[] = [];
  #scheduled = false;
  readonly #begin;
  readonly #commit;
  readonly #rollback;
  readonly #savepoint;
  readonly #release;
  readonly #rollbackTo;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#savepoint = db.prepare('SAVEPOINT one_write');
    this.#release = db.prepare('RELEASE one_write');
    this.#rollbackTo = db.prepare('ROLLBACK TO one_write');
  }

  /** Runs `work` atomically inside the next batch; resolves once the batch is durable. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate lets every request already received in this turn of the event loop join the batch.
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Commits whatever is queued now; used before closing so no accepted write is dropped. */
  drain(): void {
    if (this.#queue.length > 0) this.#flush();
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.#begin.run();
      for (const item of batch) {
        this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: item.work() });
          this.#release.run();
        } catch (error) {
          this.#rollbackTo.run();
          this.#release.run();
          outcomes.push({ ok: false, value: error });
        }
      }
      this.#commit.run();
    } catch (error) {
      // The batch as a whole failed (disk full, lock timeout): nothing of it was kept.
      if (this.#db.inTransaction) this.#rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    });
  }
}
