/**
 * @module The app side of a hosted-UI flow: a tiny node:http server whose `/callback` and
 * `/signed-out` pages record what the browser brought back (the query of every hit), so tests can
 * assert on the code, the state and the errors the hosted pages redirected with.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  path: string;
  query: URLSearchParams;
  /** The request's full URL as the browser sent it. */
  url: string;
}

export interface CallbackServer {
  /** `http://localhost:<port>`: the origin registered in the clients' CallbackURLs and LogoutURLs. */
  origin: string;
  callbackUrl: string;
  signedOutUrl: string;
  hits: Hit[];
  /** The hits at `path` since `since` (an index into `hits`). */
  at(path: string, since?: number): Hit[];
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);

export async function startCallbackServer(): Promise<CallbackServer> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    hits.push({ path: url.pathname, query: url.searchParams, url: url.href });
    // A visible page, so the screenshot of "where the browser landed" shows what it brought back.
    const rows = [...url.searchParams].map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v.length > 60 ? `${v.slice(0, 60)}…` : v)}</td></tr>`).join('');
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App ${escape(url.pathname)}</title></head><body><h1>App ${escape(url.pathname)}</h1><table>${rows}</table></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    callbackUrl: `${origin}/callback`,
    signedOutUrl: `${origin}/signed-out`,
    hits,
    at: (path, since = 0) => hits.slice(since).filter((h) => h.path === path),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
