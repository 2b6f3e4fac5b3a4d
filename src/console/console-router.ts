/**
 * @module The admin console's front door (docs/console.md): checks who is asking (console-auth),
 * serves the stylesheet, matches the pool, user and outbox pages' routes, gives every page its
 * CSRF token and refuses a POST without the matching one (403), and answers anything else with
 * the console's own 404 / 405 pages. Mounted under the configured path (default `/_console`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readForm } from '../oauth/oauth-io.ts';
import type { AddressOf } from '../protocol/client-address.ts';
import type { Route } from '../protocol/listener.ts';
import { csrfAccepted, csrfToken } from '../web/csrf.ts';
import { authenticate, CHALLENGE, hostAllowed, type ConsoleAccess } from './console-auth.ts';
import { poolRoutes } from './pool-pages.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest, ConsoleRoute } from './console-types.ts';
import { sendConsoleError, sendNotFoundPage } from './kit/error-page.ts';
import { sendConsoleRedirect } from './kit/policy.ts';
import { sendConsoleStylesheet } from './kit/stylesheet.ts';
import { outboxRoutes } from './outbox-pages.ts';
import { userRoutes } from './user-pages.ts';

export interface ConsoleOptions extends ConsoleAccess {
  /** Where it is mounted, without a trailing slash. */
  path: string;
  addressOf: AddressOf;
}

interface Compiled {
  route: ConsoleRoute;
  parts: string[];
  /** Literal segments outrank parameters: `/users/new` wins over `/users/:username`. */
  rank: string;
}

function compile(route: ConsoleRoute): Compiled {
  const parts = route.pattern.split('/').filter(Boolean);
  return { route, parts, rank: parts.map((p) => (p.startsWith(':') ? '0' : '1')).join('') };
}

function match(table: readonly Compiled[], method: 'GET' | 'POST', path: string): { route: ConsoleRoute; params: Record<string, string> } | 'not-found' | 'bad-path' {
  const segments = path.split('/').filter(Boolean);
  let best: { route: ConsoleRoute; params: Record<string, string>; rank: string } | undefined;
  for (const entry of table) {
    if (entry.route.method !== method || entry.parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (const [i, part] of entry.parts.entries()) {
      const segment = segments[i]!;
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          return 'bad-path';
        }
      } else if (part !== segment) {
        ok = false;
        break;
      }
    }
    if (ok && (!best || entry.rank > best.rank)) best = { route: entry.route, params, rank: entry.rank };
  }
  return best ?? 'not-found';
}

/** The paths a route table answers for another method, for the 405's Allow header. */
function methodsFor(table: readonly Compiled[], path: string): string[] {
  return (['GET', 'POST'] as const).filter((m) => typeof match(table, m, path) === 'object');
}

export function createConsoleRouter(c: ConsoleServices, options: ConsoleOptions): Route {
  const table = [...poolRoutes(c), ...userRoutes(c), ...outboxRoutes(c)].map(compile);
  const base = options.path;

  return async function consoleRoute(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const path = url.pathname.slice(base.length) || '/';
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    const bare = { base, url, csrf: '' };
    if (!hostAllowed(req, options)) {
      req.resume();
      sendConsoleError(res, bare, 403, 'The console answers only to loopback Host and Origin values in the local profile; see controlHosts.');
      return;
    }
    const actor = authenticate(req, options);
    if (actor === undefined) {
      req.resume();
      res.setHeader('WWW-Authenticate', CHALLENGE);
      sendConsoleError(res, bare, 401, 'Sign in with an admin access key id and its secret access key, or the console token.');
      return;
    }
    if (url.pathname === base) {
      req.resume();
      sendConsoleRedirect(res, `${base}/pools`);
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (method === 'GET' && path === '/static/console.css') {
      req.resume();
      sendConsoleStylesheet(res);
      return;
    }
    const csrf = csrfToken(req, { path: `${base}/`, secure });
    if (csrf.setCookie.length) res.setHeader('Set-Cookie', csrf.setCookie);
    const withToken = { base, url, csrf: csrf.value };
    if (method !== 'GET' && method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'GET, HEAD, POST');
      sendConsoleError(res, withToken, 405, 'The console answers GET, HEAD and POST only.');
      return;
    }
    if (method === 'GET' && path === '/') {
      req.resume();
      sendConsoleRedirect(res, `${base}/pools`);
      return;
    }
    const found = match(table, method, path);
    if (typeof found !== 'object') {
      req.resume();
      const other = methodsFor(table, path);
      if (found === 'not-found' && other.length) {
        res.setHeader('Allow', other.includes('GET') ? [...other, 'HEAD'].join(', ') : other.join(', '));
        sendConsoleError(res, withToken, 405, `This address answers ${other.join(' and ')} only.`);
      } else sendNotFoundPage(res, withToken);
      return;
    }
    let form: Map<string, string> | undefined;
    if (method === 'POST') {
      form = await readForm(req);
      if (!form) return sendConsoleError(res, withToken, 400, 'A console action is an HTML form post (application/x-www-form-urlencoded).');
      // Checked here, once, for every action of every page.
      if (!csrfAccepted(req, form)) return sendConsoleError(res, withToken, 403, 'This form has expired or did not come from the console. Go back, reload the page and try again.');
    } else req.resume();
    const at: ConsoleRequest = {
      url,
      path,
      params: found.params,
      base,
      actor,
      secure,
      requestId,
      sourceIp: options.addressOf(req),
      csrf: csrf.value,
      ...(form ? { form } : {}),
    };
    try {
      await found.route.handler(req, res, at);
    } catch (error) {
      c.logger.error({ requestId, err: error }, 'console page failed');
      if (!res.headersSent) sendConsoleError(res, at, 500, `The page failed; the server log has the details under request id ${requestId}.`);
      else res.destroy();
    }
  };
}
