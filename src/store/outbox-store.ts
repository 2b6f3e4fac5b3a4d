/**
 * @module The outbox aggregate's contract: messages queued in the transaction that made them (a
 * sign-up, a resend, an invitation) and leased to one instance at a time for delivery.
 */
import type { OutboxRow } from '../domain/records.ts';

export interface OutboxQuery {
  poolId?: string;
  username?: string;
}

/** `queued` is a message still to send: pending, or leased by an instance sending it now. */
export type OutboxStatusFilter = 'queued' | 'sent' | 'failed';

export interface OutboxPageQuery {
  poolId?: string;
  status?: OutboxStatusFilter;
  /** Only messages older than this one (a smaller id): the keyset of the next page. */
  beforeId?: number;
  limit: number;
}

export interface OutboxStore {
  /** Leases up to `limit` due messages to this instance; a lease that expires makes them due again. */
  claimOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  markOutboxSent(id: number, now: number): Promise<void>;
  markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void>;
  listOutbox(query: OutboxQuery): Promise<OutboxRow[]>;
  /** How many messages wait to be sent (pending or leased), and when the oldest of them was queued. */
  outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }>;
  /** Messages across pools, newest first, at most `limit`, keyset-paged on the id (the admin console). */
  pageOutbox(query: OutboxPageQuery): Promise<OutboxRow[]>;
  getOutboxMessage(id: number): Promise<OutboxRow | undefined>;
  /**
   * Makes a failed message due at `now` again, in one conditional update: true when it was failed
   * and is now pending; false (and nothing changed) for any other state, so a retry racing the
   * dispatcher or a second retry can never put a sent or leased message back in the queue.
   */
  retryOutboxMessage(id: number, now: number): Promise<boolean>;
  /**
   * A short text that changes whenever a message is queued or changes state (the console's live
   * view polls it). It reads the newest id and the rows not yet sent, which the status index
   * bounds, never the sent history.
   */
  outboxWatermark(): Promise<string>;
}
