/**
 * @module Counts the store calls that fail. Refusals are return values, so whatever a store method
 * throws or rejects with is a database problem an operator wants to see, whichever call hit it.
 */
import type { Store } from '../store/store.ts';

export function countStoreErrors(store: Store, onError: (call: string) => void): Store {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      let method = wrapped.get(property);
      if (!method) {
        const call = String(property);
        method = (...args: unknown[]) => {
          try {
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            return result instanceof Promise
              ? result.catch((error: unknown) => {
                  onError(call);
                  throw error;
                })
              : result;
          } catch (error) {
            onError(call);
            throw error;
          }
        };
        wrapped.set(property, method);
      }
      return method;
    },
  });
}
