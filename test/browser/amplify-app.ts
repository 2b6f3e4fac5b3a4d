/**
 * @module A single-page app for Amplify v6 in a real browser: the README's Amplify snippet (its
 * imports and its `Amplify.configure`) bundled for the browser with esbuild (which tsx brings),
 * served with a page by a tiny node:http server on `http://localhost:<port>/`, the origin the
 * app client registers as its sign-in and sign-out URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The parts of the README's snippet: imports, the configure call, and the calls a user makes, in order. */
export interface AmplifySnippet {
  imports: string;
  configure: string;
  /** The called functions, e.g. `['signInWithRedirect', 'fetchAuthSession', 'signOut']`. */
  calls: string[];
}

/** Splits the README's ```ts block; throws when it is not imports, one `Amplify.configure({…});`, then `await f()` lines. */
export function splitSnippet(snippet: string): AmplifySnippet {
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => l.startsWith('import ')).join('\n');
  const start = lines.findIndex((l) => l.startsWith('Amplify.configure('));
  const end = lines.findIndex((l, i) => i > start && l === '});');
  if (start < 0 || end < 0) throw new Error('the snippet has no top-level Amplify.configure({ … }); statement');
  const calls = lines.slice(end + 1).map((l) => /^(?:const .+ = )?await (\w+)\(\);/u.exec(l)?.[1]).filter((c): c is string => Boolean(c));
  return { imports, configure: lines.slice(start, end + 1).join('\n'), calls };
}

export interface AmplifyApp {
  /** `http://localhost:<port>` */
  origin: string;
  /** Bundles the page's script from the snippet (with `userPoolId`/`clientId` bound); call before loading the page. */
  load(snippet: AmplifySnippet, ids: { userPoolId: string; clientId: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The page's module: the snippet's imports and configure, then the functions the snippet calls
 * made reachable for the test, and Amplify's auth events recorded (signInWithRedirect and its
 * failure are only visible there once the browser has come back).
 */
function pageModule(snippet: AmplifySnippet, ids: { userPoolId: string; clientId: string }): string {
  return [
    snippet.imports,
    "import { Hub } from 'aws-amplify/utils';",
    'const events: unknown[] = [];',
    // What the screenshots show: where the app is and what Amplify reported so far.
    "const show = () => { document.getElementById('where')!.textContent = `${location.href} | auth events: ${events.map((e) => (e as { event: string }).event).join(', ') || 'none'}`; };",
    "Hub.listen('auth', ({ payload }) => { events.push({ event: payload.event, message: (payload as { data?: { message?: string } }).data?.message }); show(); });",
    'show();',
    `const userPoolId = ${JSON.stringify(ids.userPoolId)};`,
    `const clientId = ${JSON.stringify(ids.clientId)};`,
    snippet.configure,
    `Object.assign(globalThis, { amplifyEvents: events, amplify: { ${snippet.calls.join(', ')} } });`,
  ].join('\n');
}

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Amplify app</title></head>'
  + '<body><h1>Amplify app</h1><p id="where"></p><script type="module" src="/app.js"></script></body></html>';

export async function startAmplifyApp(): Promise<AmplifyApp> {
  let script = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/app.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(script);
      return;
    }
    res.writeHead(path === '/' ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(path === '/' ? PAGE : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    load: async (snippet, ids) => {
      const out = await build({
        stdin: { contents: pageModule(snippet, ids), loader: 'ts', resolveDir: root, sourcefile: 'amplify-page.ts' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      });
      script = out.outputFiles[0]!.text;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
