/**
 * @module How the console's outbox pages show a message: its delivery state in words (queued,
 * retrying, sending, sent, failed), its destination masked as Cognito masks it, and its paths.
 */
import { maskDestination } from '../domain/delivery-details.ts';
import type { OutboxRow } from '../domain/records.ts';
import { html, type SafeHtml } from '../web/html.ts';
import { statusBadge } from './kit/index.ts';

/** `/outbox/<id>[/<action>]` inside the console. */
export function outboxRoute(id: number, action?: string): string {
  return `/outbox/${id}${action ? `/${action}` : ''}`;
}

/** The state as a word: a pending message that has failed before is waiting for its next try. */
export function deliveryState(row: Pick<OutboxRow, 'status' | 'lastError'>): 'queued' | 'retrying' | 'sending' | 'sent' | 'failed' {
  if (row.status === 'pending') return row.lastError ? 'retrying' : 'queued';
  return row.status;
}

/** The badge, and for a message that has failed (for now or for good) the error and the attempts so far. */
export function deliveryCell(row: Pick<OutboxRow, 'status' | 'lastError' | 'attempts'>): SafeHtml {
  const state = deliveryState(row);
  const tries = row.attempts === 1 ? '1 attempt' : `${row.attempts} attempts`;
  if (!row.lastError || state === 'sent') return html`${statusBadge(state)}${row.attempts > 1 ? html` <span class="muted">${tries}</span>` : ''}`;
  return html`${statusBadge(state)} <span class="muted">${tries}</span><br>${row.lastError}`;
}

/** `s***@e***` or `+********4114`, as CodeDeliveryDetails shows it. */
export function maskedDestination(row: Pick<OutboxRow, 'medium' | 'destination'>): string {
  return maskDestination({ medium: row.medium, destination: row.destination, attribute: row.medium === 'SMS' ? 'phone_number' : 'email' });
}

/** A time in epoch milliseconds (the store's), as UTC to the second: codes arrive seconds apart. */
export function moment(ms: number | null | undefined): SafeHtml | '' {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</time>`;
}
