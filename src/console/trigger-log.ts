/**
 * @module The trigger invocation log the console shows (docs/console.md): the last few hundred
 * runs of this instance, in memory. A ring buffer costs the runner one array write per run; it is
 * per instance (each PostgreSQL instance logs what it ran) and gone at restart, which is enough to
 * see why a sign-up just failed. It holds what `TriggerInvocation` holds: never an event or an
 * answer, which carry attributes and codes.
 */
import type { TriggerInvocation } from '../triggers/runner.ts';

export class TriggerLog {
  readonly capacity: number;
  readonly #ring: (TriggerInvocation | undefined)[];
  #next = 0;
  #total = 0;

  constructor(capacity = 500) {
    this.capacity = capacity;
    this.#ring = new Array<TriggerInvocation | undefined>(capacity);
  }

  /** For `TriggerRunner.watch`: bound, so it can be handed over as is. */
  readonly record = (invocation: TriggerInvocation): void => {
    this.#ring[this.#next] = invocation;
    this.#next = (this.#next + 1) % this.capacity;
    this.#total++;
  };

  /** How many runs were recorded since start, including those the ring has let go. */
  get total(): number {
    return this.#total;
  }

  /** What the ring holds, newest first. */
  recent(): TriggerInvocation[] {
    const out: TriggerInvocation[] = [];
    for (let i = 1; i <= this.capacity; i++) {
      const entry = this.#ring[(this.#next - i + this.capacity) % this.capacity];
      if (!entry) break;
      out.push(entry);
    }
    return out;
  }
}
