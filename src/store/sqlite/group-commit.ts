/**
 * @module Group commit for SQLite. A durable commit needs an fsync of the write-ahead log (about a
 * millisecond on a virtual disk), which would cap the server near a thousand writes a second if
 * every write paid its own and stall the event loop while it ran. Writes that arrive while a batch
 * is being made durable run one after another in the next single transaction, a failing write
 * rolling back alone (see #attempt); the connection commits without syncing
 * (`synchronous=NORMAL`) and the WAL file is then fsynced on libuv's thread pool, so the event loop
 * keeps reading requests meanwhile. Callers get their answer only once their batch's fsync has
 * returned, and the next batch commits as soon as it has, if writes are waiting.
 */
import type Database from 'better-sqlite3';
import { fsync, fsyncSync } from 'node:fs';

interface Outcome {
  ok: boolean;
  value: unknown;
}

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A batch in the database, with its place in the order of commits. */
interface Committed {
  batch: Pending[];
  outcomes: Outcome[];
  seq: number;
}

export interface CommitHooks {
  /** Told the number of writes in each group commit. */
  onBatch?: (size: number) => void;
  /** Told how long each fsync of the WAL took, in seconds. */
  onSync?: (seconds: number) => void;
}

export class GroupCommitter {
  readonly #db: Database.Database;
  /** The WAL file, fsynced after each commit; absent when commits need not survive power loss. */
  readonly #wal: number | undefined;
  readonly #hooks: CommitHooks;
  #queue: Pending[] = [];
  #scheduled = false;
  /** Commits made, and commits known to be on disk: a read that saw commit n answers once n is durable. */
  #committed = 0;
  #durable = 0;
  #waiters: { seq: number; resolve: () => void }[] = [];
  /** The batch whose fsync is running; while there is one, nothing else commits. */
  #inFlight: Committed | undefined;
  readonly #begin;
  readonly #commit;
  readonly #rollback;
  readonly #savepoint;
  readonly #release;
  readonly #rollbackTo;

  /** `walFd` is an open descriptor of the database's `-wal` file, for a connection opened with synchronous=NORMAL. */
  constructor(db: Database.Database, walFd?: number, hooks: CommitHooks = {}) {
    this.#db = db;
    this.#wal = walFd;
    this.#hooks = hooks;
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
      this.#schedule();
    });
  }

  /** How many commits have been made so far; pass it to `durable` after reading. */
  get committed(): number {
    return this.#committed;
  }

  /**
   * Undefined when commit `seq` is already on disk, else a promise that resolves once it is.
   * Reads wait on it so that nothing they saw is answered before it would survive power loss.
   */
  durable(seq: number): Promise<void> | undefined {
    if (seq <= this.#durable) return undefined;
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  /**
   * Makes a transaction committed outside the batches (the bulk import's chunks) durable: fsyncs
   * the WAL on the thread pool, or does nothing when commits need not survive power loss.
   */
  sync(): Promise<void> {
    const wal = this.#wal;
    if (wal === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => fsync(wal, (error) => (error ? reject(error) : resolve())));
  }

  /** Commits and syncs whatever is queued now; used before closing so no accepted write is dropped. */
  drain(): void {
    if (this.#inFlight) {
      // The pending fsync's callback will find the descriptor closed; sync here instead.
      fsyncSync(this.#wal!);
      this.#synced(this.#inFlight);
    }
    if (this.#queue.length === 0) return;
    const batch = this.#commitBatch();
    if (batch && this.#wal !== undefined) fsyncSync(this.#wal);
    if (batch) this.#synced(batch);
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    // setImmediate runs after this turn's I/O callbacks, so every request already received joins the batch.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#inFlight || this.#queue.length === 0) return;
    const batch = this.#commitBatch();
    if (!batch) return;
    if (this.#wal === undefined) {
      this.#synced(batch);
      this.#schedule();
      return;
    }
    this.#inFlight = batch;
    const started = performance.now();
    fsync(this.#wal, (error) => {
      if (this.#inFlight !== batch) return; // drained synchronously while this ran
      this.#hooks.onSync?.((performance.now() - started) / 1000);
      if (error) this.#failed(batch, error);
      else this.#synced(batch);
      this.#schedule();
    });
  }

  /** Runs the queued writes in one transaction; undefined when the transaction itself failed. */
  #commitBatch(): Committed | undefined {
    const batch = this.#queue;
    this.#queue = [];
    this.#hooks.onBatch?.(batch.length);
    try {
      // Writes almost never throw (refusals are return values), so the batch first runs without
      // savepoints; only if one throws is it rolled back and run again with one per write.
      const outcomes = this.#attempt(batch, false) ?? (this.#attempt(batch, true) as Outcome[]);
      return { batch, outcomes, seq: ++this.#committed };
    } catch (error) {
      // The batch as a whole failed (disk full, lock timeout): nothing of it was kept.
      if (this.#db.inTransaction) this.#rollback.run();
      for (const item of batch) item.reject(error);
      return undefined;
    }
  }

  #synced(done: Committed): void {
    this.#inFlight = undefined;
    done.batch.forEach((item, i) => {
      const outcome = done.outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    });
    this.#advance(done.seq);
  }

  /**
   * The commit is in the database but may not be on disk: its writers are told it failed. Readers
   * waiting on it are let go rather than left hanging; the server's log has the error.
   */
  #failed(done: Committed, error: unknown): void {
    this.#inFlight = undefined;
    for (const item of done.batch) item.reject(error);
    this.#advance(done.seq);
  }

  #advance(seq: number): void {
    this.#durable = seq;
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((w) => w.seq <= seq);
    this.#waiters = this.#waiters.filter((w) => w.seq > seq);
    for (const waiter of ready) waiter.resolve();
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
