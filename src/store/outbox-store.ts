/**
 * @module The outbox aggregate's contract: messages queued in the transaction that made them (a
 * sign-up, a resend, an invitation) and leased to one instance at a time for delivery.
 */
import type { OutboxRow } from '../domain/records.ts';

export interface OutboxQuery {
  poolId?: string;
  username?: string;
}

export interface OutboxStore {
  /** Leases up to `limit` due messages to this instance; a lease that expires makes them due again. */
  claimOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  markOutboxSent(id: number, now: number): Promise<void>;
  markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void>;
  listOutbox(query: OutboxQuery): Promise<OutboxRow[]>;
  /** How many messages wait to be sent (pending or leased), and when the oldest of them was queued. */
  outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }>;
}
