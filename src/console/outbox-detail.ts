/**
 * @module One outbox message in the console (`/outbox/:id`): where it went, how delivery went, and
 * its text, opened with the server's key as the control API opens it, so a developer can read the
 * code; and the retry of a failed message (POST `/outbox/:id/retry`), which queues it again in one
 * conditional update and wakes the dispatcher.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openPayload, type MessagePayload } from '../delivery/payload.ts';
import type { OutboxRow } from '../domain/records.ts';
import { html } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { actionForm, definitionList, link, redirectWithNotice, sendConsolePage, sendNotFoundPage, seg } from './kit/index.ts';
import { deliveryCell, deliveryState, moment, outboxRoute } from './outbox-format.ts';

function messageId(at: ConsoleRequest): number | undefined {
  const id = at.params.id ?? '';
  return /^[1-9][0-9]{0,15}$/u.test(id) ? Number(id) : undefined;
}

/** The text, or undefined when this server's key cannot open it (the master key was changed since). */
function opened(c: ConsoleServices, row: OutboxRow): MessagePayload | undefined {
  try {
    return openPayload(c.s.box, row.sealedPayload);
  } catch {
    return undefined;
  }
}

export function outboxDetailPage(c: ConsoleServices) {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest): Promise<void> => {
    const id = messageId(at);
    const row = id === undefined ? undefined : await c.s.store.getOutboxMessage(id);
    if (!row) return sendNotFoundPage(res, at, 'There is no such message in the outbox.');
    const payload = opened(c, row);
    const state = deliveryState(row);
    const facts = definitionList([
      ['Pool', link(at, `/pools/${seg(row.poolId)}`, row.poolId)],
      ['Username', link(at, `/pools/${seg(row.poolId)}/users/${seg(row.username)}`, row.username)],
      ['Medium', row.medium],
      ['To', html`<span class="mono">${row.destination}</span>`],
      ['From', payload?.from],
      ['Status', deliveryCell(row)],
      ['Attempts', String(row.attempts)],
      ['Created', moment(row.createdAt)],
      ['Sent', moment(row.sentAt)],
      ...(state === 'queued' || state === 'retrying' ? ([['Next attempt', moment(row.nextAttemptAt)]] as const) : []),
    ]);
    const text = payload
      ? html`<section aria-labelledby="text-heading"><h2 id="text-heading">Message</h2>
${row.medium === 'EMAIL' ? html`<p><strong>Subject:</strong> ${payload.subject}</p>\n` : ''}${payload.code ? html`<p><strong>Code:</strong> <code class="mono">${payload.code}</code></p>\n` : ''}<pre class="mono message-text">${payload.body}</pre>
</section>
`
      : html`<p class="alert" role="alert">This message's text cannot be opened with this server's key: it was sealed under another master key.</p>\n`;
    const retry =
      row.status === 'failed'
        ? actionForm(at, { action: outboxRoute(row.id, 'retry'), label: 'Retry delivery', confirm: 'Queues the message again now; the dispatcher sends it on its next pass.' })
        : '';
    const body = html`<p class="crumbs"><a href="${at.base}/outbox">Outbox</a></p>
<h1>Message #${row.id}</h1>
<div id="message-region" data-live="outbox">
${facts}${retry}</div>
${text}`;
    sendConsolePage(res, at, { title: `Message #${row.id}`, body, nav: 'outbox', scripts: ['/static/live.js'] });
  };
}

export function retryOutboxAction(c: ConsoleServices) {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest): Promise<void> => {
    const id = messageId(at);
    const row = id === undefined ? undefined : await c.s.store.getOutboxMessage(id);
    if (!row) return sendNotFoundPage(res, at, 'There is no such message in the outbox.');
    const retried = await c.s.store.retryOutboxMessage(row.id, c.s.clock.now());
    // The action log line of runAdminOperation, for the one action here that is no API operation.
    c.logger.info(
      { requestId: at.requestId, actor: at.actor, operation: 'RetryOutboxMessage', poolId: row.poolId, username: row.username, messageId: row.id, outcome: retried ? 'ok' : 'NotFailed' },
      'console action',
    );
    if (retried) c.s.wakeOutbox();
    redirectWithNotice(res, at, outboxRoute(row.id), retried ? `Message #${row.id} is queued again.` : `Message #${row.id} has not failed, so there is nothing to retry.`);
  };
}
