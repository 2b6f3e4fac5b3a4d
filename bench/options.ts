/** @module Command-line numbers for the bench scripts, checked the same way everywhere. */

export class UsageError extends Error {}

/** `value` as a whole number from `min` to `max`, `fallback` when absent; a UsageError otherwise. */
export function wholeNumber(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}
