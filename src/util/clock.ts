/** @module A movable clock: the local profile lets tests advance time to reach code expiry without waiting. */

export interface Clock {
  /** Milliseconds since the epoch, including any offset applied through the control API. */
  now(): number;
}

export class OffsetClock implements Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}

/** Cognito's wire timestamps are epoch seconds with a millisecond fraction. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
