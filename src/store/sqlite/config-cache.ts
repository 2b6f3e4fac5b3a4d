/**
 * @module Pools and clients kept in memory by the SQLite store. Every public call reads its client
 * and pool, while they change only through a handful of admin writes; those writes clear the cache
 * inside their transaction. Exact because one server process owns an SQLite file (several
 * instances share PostgreSQL, which does not cache).
 */
import type { DomainRecord } from '../../domain/oauth/records.ts';
import type { ClientRecord, PoolRecord } from '../../domain/records.ts';

export class ConfigCache {
  readonly #pools = new Map<string, PoolRecord>();
  readonly #clients = new Map<string, ClientRecord>();
  /** Every request to a domain endpoint resolves its domain first. */
  readonly #domains = new Map<string, DomainRecord>();

  pool(id: string, load: () => PoolRecord | undefined): PoolRecord | undefined {
    return cached(this.#pools, id, load);
  }

  client(id: string, load: () => ClientRecord | undefined): ClientRecord | undefined {
    return cached(this.#clients, id, load);
  }

  domain(name: string, load: () => DomainRecord | undefined): DomainRecord | undefined {
    return cached(this.#domains, name, load);
  }

  clear(): void {
    this.#pools.clear();
    this.#clients.clear();
    this.#domains.clear();
  }
}

function cached<T extends object>(map: Map<string, T>, id: string, load: () => T | undefined): T | undefined {
  const hit = map.get(id);
  if (hit) return hit;
  const loaded = load();
  // Frozen, because every caller now shares the one object.
  if (loaded) map.set(id, deepFreeze(loaded));
  return loaded;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
