/**
 * @module The local profile's control API under /_userpool/: read the messages sent, wipe all
 * data, move the clock, rotate a pool's signing keys. Never mounted in the production profile.
 *
 * It hands out every code and can wipe every pool, so no web page may use it: it sends no CORS
 * headers (codes stay unreadable cross-origin), its POSTs need a JSON content type (a plain
 * cross-site form cannot send one without a preflight it would fail), and it answers only to
 * loopback Host and Origin values, which defeats DNS rebinding of a public name to 127.0.0.1.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openPayload } from '../delivery/payload.ts';
import type { TokenService } from '../operations/shared/sign-in/token-service.ts';
import type { Store } from '../store/store.ts';
import type { OffsetClock } from '../util/clock.ts';
import type { SecretBox } from '../util/secret-box.ts';
import { readBody } from './http-io.ts';
import { fromLoopback } from './loopback-guard.ts';

export interface ControlDeps {
  store: Store;
  box: SecretBox;
  clock: OffsetClock;
  tokens: Pick<TokenService, 'rotateKeys'>;
  /** Host names besides loopback ones that may call it, e.g. a container's service name. */
  allowedHosts?: readonly string[];
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

const ROTATE_KEYS = /^POST \/_userpool\/pools\/([^/]+)\/rotate-signing-keys$/u;

export function createControlApi(deps: ControlDeps) {
  const allowed = (deps.allowedHosts ?? []).map((h) => h.toLowerCase());
  return async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!fromLoopback(req, allowed)) {
      reply(res, 403, { error: 'the control API answers only to loopback Host and Origin values; see controlHosts' });
      return;
    }
    const route = `${req.method} ${url.pathname}`;
    if (req.method === 'POST' && !/^application\/json\s*(;|$)/iu.test(String(req.headers['content-type'] ?? ''))) {
      reply(res, 415, { error: 'control API requests must be sent with Content-Type: application/json' });
      return;
    }
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
      const seconds = body !== null && typeof body === 'object' ? body.advanceSeconds : undefined;
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
    const rotate = ROTATE_KEYS.exec(route);
    if (rotate) {
      const poolId = rotate[1]!;
      // Checked first so an unknown pool costs no key generation; rotateKeys still answers for one deleted meanwhile.
      const kids = (await deps.store.getUserPool(poolId)) ? await deps.tokens.rotateKeys(poolId, deps.clock.now()) : undefined;
      if (kids) reply(res, 200, { kids });
      else reply(res, 404, { error: `User pool ${poolId} does not exist.` });
      return;
    }
    reply(res, 404, { error: `no control route ${route}` });
  };
}
