/** @module What both backends' outbox paging and live watermark share, so the two cannot drift apart. */
import type { OutboxStatusFilter } from './outbox-store.ts';

/** The stored statuses a filter stands for, as two parameters (`status IN (?, ?)`); nulls for no filter. */
export function statusesOf(filter: OutboxStatusFilter | undefined): [string, string] | [null, null] {
  if (filter === 'queued') return ['pending', 'sending'];
  if (filter === 'sent') return ['sent', 'sent'];
  if (filter === 'failed') return ['failed', 'failed'];
  return [null, null];
}

/** Newest id, rows not yet sent, their attempts, how many are leased and how many failed. */
export function watermarkOf(row: Record<string, unknown>): string {
  return ['top', 'open', 'tries', 'sending', 'failed'].map((k) => String(Number(row[k] ?? 0))).join(':');
}
