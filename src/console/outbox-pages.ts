/**
 * @module The console's outbox, trigger log and live view (docs/console.md, "Outbox, trigger log
 * and live view"): the routes CORE's router mounts.
 */
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRoute } from './console-types.ts';
import { LiveHub } from './live-hub.ts';
import { sendLiveScript } from './live-script.ts';
import { outboxDetailPage, retryOutboxAction } from './outbox-detail.ts';
import { outboxListPage } from './outbox-list.ts';
import { triggerLogPage } from './trigger-page.ts';

/** A browser names the pools whose user lists it shows; more than a page could show are ignored. */
const MAX_POOL_ID = 128;

export function outboxRoutes(c: ConsoleServices): ConsoleRoute[] {
  // Without a hub from the server, streams still work; they are then cut at the drain deadline.
  const live = c.live ?? new LiveHub(c.s.store, { logger: c.logger });
  return [
    { method: 'GET', pattern: '/outbox', handler: outboxListPage(c) },
    { method: 'GET', pattern: '/outbox/:id', handler: outboxDetailPage(c) },
    { method: 'POST', pattern: '/outbox/:id/retry', handler: retryOutboxAction(c) },
    { method: 'GET', pattern: '/triggers', handler: triggerLogPage(c) },
    {
      method: 'GET',
      pattern: '/events',
      handler: async (req, res, at) => {
        // HEAD (which the router answers as GET) gets the headers of a stream, not a stream left open.
        if (req.method === 'HEAD') return void res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' }).end();
        await live.open(res, at.url.searchParams.getAll('pool').filter((p) => p.length > 0 && p.length <= MAX_POOL_ID));
      },
    },
    { method: 'GET', pattern: '/static/live.js', handler: async (_req, res) => sendLiveScript(res) },
  ];
}
