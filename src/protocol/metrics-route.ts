/**
 * @module GET /metrics in Prometheus text format. In the production profile the figures (operation
 * mix, error rates, outbox depth) are for operators only: a bearer token guards them on the API
 * port, or they are served on a port of their own that is not exposed.
 */
import { createServer, type Server } from 'node:http';
import type { Metrics } from '../metrics/metrics.ts';
import { constantTimeEqual } from '../util/secret-box.ts';
import type { Route } from './listener.ts';

export function metricsRoute(metrics: Metrics, token: string | undefined): Route {
  return async (req, res) => {
    if (token !== undefined) {
      const given = /^Bearer (.+)$/u.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      if (!constantTimeEqual(given, token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('a bearer token is required\n');
        return;
      }
    }
    const text = await metrics.text();
    res.writeHead(200, { 'Content-Type': metrics.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(text);
  };
}

/** A listener that serves nothing but /metrics, for a port the load balancer does not expose. */
export async function startMetricsServer(route: Route, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      Promise.resolve(route(req, res, new URL('http://localhost/metrics'), '')).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('only /metrics is served here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
