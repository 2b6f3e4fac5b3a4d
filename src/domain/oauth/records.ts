/** @module The stored shapes of user-pool domains and resource servers, independent of any database. */

/** A prefix domain (`<prefix>.auth.<region>.amazoncognito.com`) or a custom domain (its own DNS name). */
export type DomainKind = 'prefix' | 'custom';

export interface DomainRecord {
  /** The prefix alone for a prefix domain, the full DNS name for a custom one (OML §1.1). */
  domain: string;
  poolId: string;
  kind: DomainKind;
  /** ManagedLoginVersion, CustomDomainConfig, Routing and the CloudFrontDomain handed out, as given. */
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScope[];
  createdAt: number;
  updatedAt: number;
}

/** The row of either backend turned into a record; JSON columns come back as text (SQLite) or parsed (PostgreSQL). */
export function domainFromRow(row: Record<string, unknown>): DomainRecord {
  return {
    domain: String(row.domain),
    poolId: String(row.pool_id),
    kind: row.kind === 'custom' ? 'custom' : 'prefix',
    settings: json(row.settings) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function resourceServerFromRow(row: Record<string, unknown>): ResourceServerRecord {
  return {
    poolId: String(row.pool_id),
    identifier: String(row.identifier),
    name: String(row.name),
    scopes: json(row.scopes) as ResourceServerScope[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
