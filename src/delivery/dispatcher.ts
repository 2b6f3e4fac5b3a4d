/**
 * @module The outbox dispatcher: leases due messages from the store, sends each through its
 * medium's transport, and records the outcome, retrying with backoff. It runs beside the request
 * path and never inside it, so a slow or absent mail server cannot delay a sign-up.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import type { Clock } from '../util/clock.ts';
import type { SecretBox } from '../util/secret-box.ts';
import { openPayload } from './payload.ts';
import type { Senders } from './senders.ts';

export interface DispatcherOptions {
  store: Store;
  box: SecretBox;
  clock: Clock;
  senders: Senders;
  logger: Logger;
  pollMs?: number;
  batch?: number;
  /** How long a leased message stays this instance's before another may take it. */
  leaseMs?: number;
  maxAttempts?: number;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export class OutboxDispatcher {
  readonly #o: Required<DispatcherOptions>;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #again = false;
  #stopped = true;

  constructor(options: DispatcherOptions) {
    this.#o = { pollMs: 1000, batch: 50, leaseMs: 60_000, maxAttempts: 8, ...options };
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Asks for a pass soon; calls while a pass runs fold into one more pass. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        setImmediate(() => this.wake());
      } else {
        this.#timer = setTimeout(() => this.wake(), this.#o.pollMs);
        this.#timer.unref();
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    for (const sender of Object.values(this.#o.senders)) await sender?.close?.();
  }

  async #pass(): Promise<void> {
    const { store, clock, logger } = this.#o;
    try {
      for (;;) {
        const due = await store.claimOutbox(clock.now(), this.#o.batch, this.#o.leaseMs);
        for (const message of due) await this.#deliver(message);
        if (due.length < this.#o.batch || this.#stopped) return;
      }
    } catch (error) {
      logger.warn({ err: error }, 'outbox pass failed; will retry');
    }
  }

  async #deliver(message: Awaited<ReturnType<Store['claimOutbox']>>[number]): Promise<void> {
    const { store, clock, logger } = this.#o;
    const sender = this.#o.senders[message.medium];
    try {
      if (sender) await sender.send(message, openPayload(this.#o.box, message.sealedPayload));
      await store.markOutboxSent(message.id, clock.now());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const retryAt = message.attempts >= this.#o.maxAttempts ? null : clock.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (message.attempts - 1));
      logger.warn({ messageId: message.id, medium: message.medium, attempts: message.attempts, reason }, 'delivery failed');
      await store.markOutboxFailed(message.id, reason, retryAt);
    }
  }
}
