/**
 * @module Counts the store calls that fail. Refusals are return values, so whatever a store method
 * throws or rejects with is a database problem an operator wants to see, whichever call hit it.
 */
import type { Store } from '../store/store.ts';

/**
 * The wrappers are made once, over the methods the assembled store has, so that a call on the hot
 * path costs one extra function call rather than a proxy trap and a lookup.
 */
export function countStoreErrors(store: Store, onError: (call: string) => void): Store {
  const counted: Record<string, unknown> = {};
  for (const [call, value] of Object.entries(store)) {
    if (typeof value !== 'function') {
      counted[call] = value;
      continue;
    }
    const method = value as (...a: unknown[]) => unknown;
    const failed = (error: unknown) => {
      onError(call);
      throw error;
    };
    counted[call] = (...args: unknown[]) => {
      try {
        const result = method.apply(store, args);
        return result instanceof Promise ? result.catch(failed) : result;
      } catch (error) {
        onError(call);
        throw error;
      }
    };
  }
  return counted as unknown as Store;
}
