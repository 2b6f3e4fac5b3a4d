/**
 * @module The read-only sections of the console's one-user page: attributes, status history,
 * messages sent (with the text a developer needs to read a code) and active sign-ins. Every value
 * goes through `html`, so a hostile attribute or message text shows as text.
 */
import { html, type SafeHtml } from '../web/html.ts';
import { statusBadge, table } from './kit/index.ts';
import type { BrowserSessionView, HistoryEvent, SentMessage, TokenFamily } from './user-activity.ts';
import { when } from './user-format.ts';

export function attributesSection(attributes: ReadonlyMap<string, string>): SafeHtml {
  const rows = [...attributes].sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => [html`<code>${name}</code>`, value]);
  return html`<section aria-labelledby="attributes-h"><h2 id="attributes-h">Attributes</h2>
${table({ caption: 'Attributes as AdminGetUser returns them', columns: ['Name', 'Value'], rows })}</section>`;
}

export function historySection(events: readonly HistoryEvent[]): SafeHtml {
  return html`<section aria-labelledby="history-h"><h2 id="history-h">Status history</h2>
<p class="hint">Derived from what the store keeps: creation, the sign-up's confirmation, messages, token families, browser sessions, the password and the lockout state.</p>
${table({ caption: 'Events, newest first', columns: ['When', 'Event', 'Detail'], rows: events.map((e) => [when(e.at), e.event, e.detail]) })}</section>`;
}

function deliveryCell(m: SentMessage): SafeHtml {
  return html`${statusBadge(m.status)}${m.sentAt === null ? '' : html`<br>${when(m.sentAt)}`}${m.attempts > 1 ? html`<br>${m.attempts} attempts` : ''}${
    m.lastError ? html`<br><span class="muted">${m.lastError}</span>` : ''
  }`;
}

export function messagesSection(messages: readonly SentMessage[]): SafeHtml {
  const rows = messages.map((m) => [
    when(m.createdAt),
    html`${m.medium} to ${m.destination}`,
    deliveryCell(m),
    m.code === null ? null : html`<code class="message-code">${m.code}</code>`,
    html`${m.subject ? html`<strong>${m.subject}</strong><br>` : ''}${m.body}`,
  ]);
  return html`<section aria-labelledby="messages-h"><h2 id="messages-h">Messages sent</h2>
${table({ caption: 'Messages, newest first', columns: ['Queued', 'To', 'Delivery', 'Code', 'Message'], rows, empty: 'No messages were sent to this user.' })}</section>`;
}

function stateCell(state: string, endedAt: number | null): SafeHtml {
  return html`${statusBadge(state === 'active' ? 'ACTIVE' : state)}${endedAt === null ? '' : html`<br>${when(endedAt)}`}`;
}

export function sessionsSection(families: readonly TokenFamily[], sessions: readonly BrowserSessionView[]): SafeHtml {
  const active = families.filter((f) => f.state === 'active').length + sessions.filter((b) => b.state === 'active').length;
  const tokens = table({
    caption: 'Refresh-token families (one per sign-in)',
    columns: ['Client', 'Signed in', 'Last issued', 'Expires', 'State'],
    rows: families.map((f) => [html`<code>${f.clientId}</code>`, when(f.authTime), when(f.issuedAt), when(f.expiresAt), stateCell(f.state, f.revokedAt)]),
    empty: 'No refresh tokens are kept for this user.',
  });
  const browser = table({
    caption: 'Hosted UI browser sessions (each valid for every client of the pool)',
    columns: ['Signed in', 'Started', 'Expires', 'State'],
    rows: sessions.map((b) => [when(b.authTime), when(b.createdAt), when(b.expiresAt), stateCell(b.state, b.endedAt)]),
    empty: 'No hosted UI browser sessions are kept for this user.',
  });
  return html`<section aria-labelledby="sessions-h"><h2 id="sessions-h">Sessions and refresh tokens</h2>
<p>${active} active. Tokens and cookies are stored as digests only and are never shown.</p>
${tokens}${browser}</section>`;
}
