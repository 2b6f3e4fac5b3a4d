/**
 * @module The local profile's control API under /_userpool/: read the messages sent, wipe all
 * data, move the clock. Never mounted in the production profile.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openPayload } from '../delivery/payload.ts';
import type { Store } from '../store/store.ts';
import type { OffsetClock } from '../util/clock.ts';
import type { SecretBox } from '../util/secret-box.ts';
import { readBody } from './http-io.ts';

export interface ControlDeps {
  store: Store;
  box: SecretBox;
  clock: OffsetClock;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Access-Control-Allow-Origin': '*' });
  res.end(text);
}

export function createControlApi(deps: ControlDeps) {
  return async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /_userpool/outbox') {
      const rows = await deps.store.listOutbox({
        username: url.searchParams.get('username') ?? undefined,
        poolId: url.searchParams.get('poolId') ?? undefined,
      });
      reply(res, 200, {
        messages: rows.map((row) => {
          const payload = openPayload(deps.box, row.sealedPayload);
          return {
            id: row.id,
            poolId: row.poolId,
            username: row.username,
            medium: row.medium,
            destination: row.destination,
            from: payload.from ?? null,
            subject: payload.subject,
            body: payload.body,
            code: payload.code,
            status: row.status,
            attempts: row.attempts,
            lastError: row.lastError,
            time: new Date(row.createdAt).toISOString(),
            sentAt: row.sentAt === null ? null : new Date(row.sentAt).toISOString(),
          };
        }),
      });
      return;
    }
    if (route === 'POST /_userpool/reset') {
      await deps.store.wipe();
      deps.clock.reset();
      reply(res, 200, { reset: true });
      return;
    }
    if (route === 'POST /_userpool/clock') {
      let body: { advanceSeconds?: unknown };
      try {
        body = JSON.parse((await readBody(req, 4096)).toString('utf8') || '{}') as { advanceSeconds?: unknown };
      } catch {
        reply(res, 400, { error: 'body must be JSON such as {"advanceSeconds": 86400}' });
        return;
      }
      const seconds = body.advanceSeconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        reply(res, 400, { error: 'advanceSeconds must be a non-negative number' });
        return;
      }
      deps.clock.advance(seconds);
      reply(res, 200, { now: new Date(deps.clock.now()).toISOString() });
      return;
    }
    if (route === 'GET /_userpool/clock') {
      reply(res, 200, { now: new Date(deps.clock.now()).toISOString() });
      return;
    }
    reply(res, 404, { error: `no control route ${route}` });
  };
}
