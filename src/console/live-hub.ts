/**
 * @module The console's live view (docs/console.md): server-sent events that tell the outbox and
 * user-list pages something changed, so they fetch themselves again. The source is the store, not
 * this process: while at least one browser listens, the hub reads two cheap watermarks once a
 * second (the outbox's, and the users' of each pool a browser watches) and sends an event when one
 * moves, so a sign-up handled by another PostgreSQL instance shows up too. With nobody listening
 * it reads nothing. A comment every 15 s keeps proxies from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import { securityHeaders } from '../web/page-io.ts';
import { CONSOLE_CSP } from './kit/index.ts';

export type LiveStore = Pick<Store, 'outboxWatermark' | 'usersWatermark'>;

export interface LiveOptions {
  pollMs?: number;
  heartbeatMs?: number;
  /** Streams beyond this many are refused (503): each holds a socket for as long as the page is open. */
  maxClients?: number;
  logger?: Pick<Logger, 'warn'>;
}

interface Client {
  res: ServerResponse;
  /** Pools whose user list this page shows. */
  pools: ReadonlySet<string>;
}

const MAX_WATCHED_POOLS = 10;

export class LiveHub {
  readonly #store: LiveStore;
  readonly #o: Required<Omit<LiveOptions, 'logger'>> & Pick<LiveOptions, 'logger'>;
  readonly #clients = new Set<Client>();
  #outbox: string | undefined;
  readonly #users = new Map<string, string>();
  #poll?: NodeJS.Timeout;
  #heartbeat?: NodeJS.Timeout;
  #closed = false;
  #warned = false;

  constructor(store: LiveStore, options: LiveOptions = {}) {
    this.#store = store;
    this.#o = { pollMs: 1000, heartbeatMs: 15_000, maxClients: 50, ...options };
  }

  get listeners(): number {
    return this.#clients.size;
  }

  /** Answers with an event stream; `pools` are the pools whose `users` events it wants. */
  async open(res: ServerResponse, pools: readonly string[]): Promise<void> {
    if (this.#closed || this.#clients.size >= this.#o.maxClients) {
      res.writeHead(503, { ...securityHeaders(CONSOLE_CSP), 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' });
      res.end(this.#closed ? 'the server is shutting down\n' : 'too many live views are open\n');
      return;
    }
    const client: Client = { res, pools: new Set(pools.slice(0, MAX_WATCHED_POOLS)) };
    res.writeHead(200, {
      ...securityHeaders(CONSOLE_CSP),
      'Content-Type': 'text/event-stream; charset=utf-8',
      // A buffering proxy would hold the events back until the stream ends.
      'X-Accel-Buffering': 'no',
    });
    this.#clients.add(client);
    // The response's close, not the request's: a GET's request closes as soon as it has been read.
    res.once('close', () => this.#leave(client));
    // The watermarks this page compares against are read before it is told it is live, so a
    // change made right after it connected is never taken for the starting state.
    await this.#prime(client.pools);
    if (!this.#clients.has(client)) return;
    res.write(`retry: 3000\n: live\n\n`);
    this.#start();
  }

  /** Ends every stream and refuses new ones; called before the server drains, which would otherwise wait on them. */
  close(): void {
    this.#closed = true;
    for (const client of [...this.#clients]) client.res.end();
    this.#clients.clear();
    this.#stop();
  }

  #leave(client: Client): void {
    if (!this.#clients.delete(client)) return;
    if (this.#clients.size === 0) this.#stop();
  }

  #start(): void {
    if (this.#clients.size === 0) return;
    this.#poll ??= setTimeout(() => void this.#tick(), this.#o.pollMs);
    this.#heartbeat ??= setInterval(() => this.#broadcast(': heartbeat\n\n', () => true), this.#o.heartbeatMs);
  }

  #stop(): void {
    clearTimeout(this.#poll);
    clearInterval(this.#heartbeat);
    this.#poll = undefined;
    this.#heartbeat = undefined;
    // Whoever connects next starts from what the store holds then.
    this.#outbox = undefined;
    this.#users.clear();
  }

  async #prime(pools: ReadonlySet<string>): Promise<void> {
    try {
      this.#outbox ??= await this.#store.outboxWatermark();
      for (const pool of pools) if (!this.#users.has(pool)) this.#users.set(pool, await this.#store.usersWatermark(pool));
    } catch (error) {
      this.#warn(error);
    }
  }

  async #tick(): Promise<void> {
    try {
      const outbox = await this.#store.outboxWatermark();
      if (this.#outbox !== undefined && outbox !== this.#outbox) this.#broadcast('event: outbox\ndata: {}\n\n', () => true);
      this.#outbox = outbox;
      const watched = new Set([...this.#clients].flatMap((c) => [...c.pools]));
      for (const pool of this.#users.keys()) if (!watched.has(pool)) this.#users.delete(pool);
      for (const pool of watched) {
        const mark = await this.#store.usersWatermark(pool);
        const before = this.#users.get(pool);
        if (before !== undefined && mark !== before) this.#broadcast(`event: users\ndata: ${JSON.stringify({ poolId: pool })}\n\n`, (c) => c.pools.has(pool));
        this.#users.set(pool, mark);
      }
      this.#warned = false;
    } catch (error) {
      this.#warn(error);
    }
    this.#poll = undefined;
    if (!this.#closed) this.#start();
  }

  #broadcast(text: string, wants: (client: Client) => boolean): void {
    for (const client of this.#clients) if (wants(client)) client.res.write(text);
  }

  /** Once per outage: a store that is down says so on every request already. */
  #warn(error: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#o.logger?.warn({ err: error }, 'console live view could not read the store; will keep trying');
  }
}
