/**
 * @module Group commit for SQLite. With synchronous=FULL every COMMIT waits for an fsync (about a
 * third of a millisecond here), which alone would cap the server near 3,000 writes a second.
 * Writes that arrive while one batch is being prepared run one after another in a single
 * transaction, and a failing write rolls back alone (see #flush); one fsync then
 * makes the whole batch durable, and only after it does any caller get its answer.
 */
import type Database from 'better-sqlite3';

const BUSY_WINDOW_MS = 1;

interface Outcome {
  ok: boolean;
  value: unknown;
}

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  readonly #db: Database.Database;
  #queue: Pending[] = [];
  #scheduled = false;
  #lastFlush = -Infinity;
  readonly #begin;
  readonly #commit;
  readonly #rollback;
  readonly #savepoint;
  readonly #release;
  readonly #rollbackTo;

  readonly #onBatch?: (size: number) => void;

  constructor(db: Database.Database, onBatch?: (size: number) => void) {
    this.#db = db;
    this.#onBatch = onBatch;
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
        // When idle, commit on the next turn of the event loop (every request already received joins).
        // Under load, commits are spaced a millisecond apart so that each fsync carries many writes;
        // committing as soon as possible would make batches of one or two and spend the time in fsync.
        if (performance.now() - this.#lastFlush < BUSY_WINDOW_MS) setTimeout(() => this.#flush(), BUSY_WINDOW_MS);
        else setImmediate(() => this.#flush());
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
    this.#lastFlush = performance.now();
    const batch = this.#queue;
    this.#queue = [];
    this.#onBatch?.(batch.length);
    let outcomes: Outcome[];
    try {
      // Writes almost never throw (refusals are return values), so the batch first runs without
      // savepoints; only if one throws is it rolled back and run again with one per write.
      outcomes = this.#attempt(batch, false) ?? (this.#attempt(batch, true) as Outcome[]);
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

  /** One transaction over the batch; without savepoints, undefined (and nothing kept) if a write throws. */
  #attempt(batch: Pending[], isolated: boolean): Outcome[] | undefined {
    const outcomes: Outcome[] = [];
    this.#begin.run();
    for (const item of batch) {
      if (isolated) this.#savepoint.run();
      try {
        outcomes.push({ ok: true, value: item.work() });
        if (isolated) this.#release.run();
      } catch (error) {
        if (!isolated) {
          this.#rollback.run();
          return undefined;
        }
        this.#rollbackTo.run();
        this.#release.run();
        outcomes.push({ ok: false, value: error });
      }
    }
    this.#commit.run();
    return outcomes;
  }
}
