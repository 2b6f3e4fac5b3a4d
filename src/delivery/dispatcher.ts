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
import { PermanentDeliveryError, type Senders } from './senders.ts';

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
  /**
   * How long a message is worth retrying. A mail server that is down for an hour must not cost a
   * user the code, so the default is the code's own 24-hour life (spec §5.5).
   */
  lifetimeMs?: number;
  /** Told of every delivery attempt: medium, outcome, seconds spent in the transport. */
  observe?: (medium: string, outcome: 'sent' | 'retry' | 'failed', seconds: number) => void;
}

const MAX_BACKOFF_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export class OutboxDispatcher {
  readonly #o: Required<DispatcherOptions>;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #again = false;
  #stopped = true;

  constructor(options: DispatcherOptions) {
    this.#o = { pollMs: 1000, batch: 50, leaseMs: 60_000, lifetimeMs: DAY_MS, observe: () => {}, ...options };
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
        const claimedAt = clock.now();
        const due = await store.claimOutbox(claimedAt, this.#o.batch, this.#o.leaseMs);
        for (const [i, message] of due.entries()) {
          // Past half the lease another instance may soon take the rest over, and sending them
          // now could send them twice; on stop, leave promptly. Either way hand the unsent ones
          // back, due at once, so the next pass (here or elsewhere) need not wait out the lease.
          if (this.#stopped || clock.now() - claimedAt > this.#o.leaseMs / 2) {
            for (const unsent of due.slice(i)) await store.markOutboxFailed(unsent.id, unsent.lastError ?? 'handed back unsent', clock.now());
            return;
          }
          await this.#deliver(message);
        }
        if (due.length < this.#o.batch || this.#stopped) return;
      }
    } catch (error) {
      logger.warn({ err: error }, 'outbox pass failed; will retry');
    }
  }

  async #deliver(message: Awaited<ReturnType<Store['claimOutbox']>>[number]): Promise<void> {
    const { store, clock, logger } = this.#o;
    const sender = this.#o.senders[message.medium];
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      if (sender) await sender.send(message, openPayload(this.#o.box, message.sealedPayload));
      this.#o.observe(message.medium, 'sent', seconds());
      await store.markOutboxSent(message.id, clock.now());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const next = clock.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(message.attempts - 1, 20));
      const retryAt = error instanceof PermanentDeliveryError || next > message.createdAt + this.#o.lifetimeMs ? null : next;
      logger.warn({ messageId: message.id, medium: message.medium, attempts: message.attempts, reason, willRetry: retryAt !== null }, 'delivery failed');
      this.#o.observe(message.medium, retryAt === null ? 'failed' : 'retry', seconds());
      await store.markOutboxFailed(message.id, reason, retryAt);
    }
  }
}
