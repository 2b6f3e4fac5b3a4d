/**
 * @module Routes each HTTP request to a user-pool domain, the API, the health check, the
 * confirmation page or the control API. Whatever one request does wrong — a request-target WHATWG URL cannot parse, a
 * handler that throws or rejects — is answered on that request; it never reaches the process.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errors } from '../domain/messages.ts';
import { newRequestId } from '../util/ids.ts';
import { PREFLIGHT_HEADERS, sendError } from './http-io.ts';

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string) => Promise<void> | void;

/**
 * Tried before every other route: `false` when the request is not for a user-pool domain; else a
 * promise that is true once the domain answered it, or false when the host named no domain after
 * all and the other routes should have it.
 */
export type DomainHook = (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string) => false | Promise<boolean>;

export interface Routes {
  /** The user-pool domains' endpoints (OAuth, hosted pages), found by Host or /_domains/<name>/. */
  domain?: DomainHook;
  /** POST / — the AWS JSON 1.1 API. */
  api: Route;
  /** Exact GET paths such as /health and /confirmUser. */
  pages: Readonly<Record<string, Route>>;
  /** Everything under a path prefix, e.g. the control API under /_userpool/. */
  prefixes: readonly (readonly [string, Route])[];
  /** Paths with a variable part, such as /<poolId>/.well-known/jwks.json. */
  match?: (method: string, path: string) => Route | undefined;
}

/**
 * Node's HTTP parser accepts request-targets such as `http://[::1` or `//a:99999/` that the URL
 * parser rejects; they are not a path we serve, so they get a 400 rather than an exception.
 */
export function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** `track` sees every response first, e.g. to close its connection while the server drains. */
export function createRequestListener(routes: Routes, logger: Logger, track?: (res: ServerResponse) => void): RequestListener {
  return (req, res) => {
    // Every answer carries a request id (spec §1); the API dispatcher answers and logs with the same one.
    const requestId = newRequestId();
    const fail = (error: unknown) => {
      logger.error({ requestId, err: error }, 'unhandled request failure');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const internal = errors.internal();
      sendError(res, 500, internal.type, internal.message, requestId);
    };
    try {
      track?.(res);
      res.setHeader('x-amzn-RequestId', requestId);
      const url = parseTarget(req.url);
      if (!url) {
        sendError(res, 400, 'BadRequestException', 'The request-target is not a valid URL.', requestId);
        return;
      }
      const claimed = routes.domain?.(req, res, url, requestId) ?? false;
      if (claimed === false) {
        others(routes, req, res, url, requestId, fail);
        return;
      }
      claimed.then((handled) => {
        if (!handled) others(routes, req, res, url, requestId, fail);
      }).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

function others(routes: Routes, req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, fail: (error: unknown) => void): void {
  const route = pick(routes, req.method ?? '', url.pathname);
  if (route) {
    const pending = route(req, res, url, requestId);
    if (pending) pending.catch(fail);
  } else if (req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT_HEADERS);
    res.end();
  } else {
    // Same envelope as the API's own errors, so an SDK pointed at a wrong path reads a clear error.
    const unknown = errors.unknownOperation();
    sendError(res, 404, unknown.type, unknown.message, requestId);
  }
}

function pick(routes: Routes, method: string, path: string): Route | undefined {
  // A prefix owns its paths for every method, so that its OPTIONS answers are its own, not the API's CORS.
  for (const [prefix, route] of routes.prefixes) if (path.startsWith(prefix)) return route;
  if (method === 'POST' && path === '/') return routes.api;
  if (method === 'GET' && Object.hasOwn(routes.pages, path)) return routes.pages[path];
  return routes.match?.(method, path);
}
