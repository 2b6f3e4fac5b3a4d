/**
 * @module A real Chromium for the hosted-UI tests, driven by playwright-core: one browser per test
 * file, a fresh context (cookies, storage) per scenario, a screenshot of every page a scenario
 * passes, and a skip with the reason when Chromium is not installed.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(root, 'test-artifacts', 'screenshots');

/** Where Chromium is: `USERPOOL_CHROMIUM`, else Debian's package. */
export const CHROMIUM = process.env.USERPOOL_CHROMIUM || '/usr/bin/chromium';

/** Why browser tests cannot run here, for `describe(…, { skip })`; false when they can. */
export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM} (install Debian's chromium or set USERPOOL_CHROMIUM)`;

export interface LaunchOptions {
  /**
   * An HTTPS test server whose certificate the browser should accept because `ca` (the test
   * authority) signed it. See `trustedKeyOf` for how that is told to Chromium.
   */
  trust?: { url: string; ca: string };
}

export interface Scenario {
  context: BrowserContext;
  page: Page;
  /** Saves the page as `test-artifacts/screenshots/<file>-<scenario>-<n>-<label>.png`. */
  shot(label: string): Promise<void>;
  /** Every main-frame URL the page loaded, in order. */
  visited: string[];
}

export interface ScenarioOptions {
  /** Only where a test says why: accept any certificate in this context. */
  ignoreHTTPSErrors?: boolean;
  context?: BrowserContextOptions;
}

/** The Base64 SHA-256 of a certificate's SubjectPublicKeyInfo, the form Chromium's `--ignore-certificate-errors-spki-list` takes. */
export function spkiHash(cert: X509Certificate): string {
  return createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/**
 * The key Chromium should accept for `url`. Playwright has no option to add an authority, and
 * Chromium's SPKI allow-list matches only certificates the server presents (the leaf; the local
 * authority is not sent). So the leaf is fetched here over a handshake that Node verifies against
 * the test authority, and only that key is allowed: any other untrusted certificate still fails,
 * unlike `ignoreHTTPSErrors`.
 */
export function trustedKeyOf(url: string, ca: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), servername: 'localhost', ca }, () => {
      const leaf = socket.getPeerX509Certificate();
      socket.end();
      if (leaf && leaf.checkIssued(new X509Certificate(ca))) resolve(spkiHash(leaf));
      else reject(new Error(`${url} did not present a certificate issued by the test authority`));
    });
    socket.once('error', reject);
  });
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/gu, '-').replace(/^-|-$/gu, '').slice(0, 60);

/** The Chromium of one test file. `launch` in `before`, `close` in `after`, `run` per scenario. */
export class TestBrowser {
  #browser: Browser | undefined;
  readonly #file: string;

  /** `moduleUrl` is the test file's `import.meta.url`; screenshots are named after it. */
  constructor(moduleUrl: string) {
    this.#file = basename(fileURLToPath(moduleUrl)).replace(/\.test\.ts$/u, '');
  }

  async launch(options: LaunchOptions = {}): Promise<void> {
    const args = [
      // Hosted-UI domains by Host header without DNS: every <prefix>.auth.localhost is this machine.
      '--host-resolver-rules=MAP *.auth.localhost 127.0.0.1, MAP localhost 127.0.0.1',
      ...(options.trust ? [`--ignore-certificate-errors-spki-list=${await trustedKeyOf(options.trust.url, options.trust.ca)}`] : []),
      // Chromium's sandbox refuses to start as root (CI containers); anywhere else it stays on.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ];
    this.#browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 30_000 });
  }

  async close(): Promise<void> {
    await this.#browser?.close();
    this.#browser = undefined;
  }

  /**
   * Runs `body` in a fresh context. A failing scenario leaves a `-failure.png` of where it stopped;
   * the context is closed either way.
   */
  async run<T>(name: string, body: (s: Scenario) => Promise<T>, options: ScenarioOptions = {}): Promise<T> {
    if (!this.#browser) throw new Error('TestBrowser.launch() was not called');
    const context = await this.#browser.newContext({ ...options.context, ignoreHTTPSErrors: options.ignoreHTTPSErrors === true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const prefix = `${this.#file}-${slug(name)}`;
    // The folder shows the last run of each scenario, not a mix with older ones.
    const own = new RegExp(`^${prefix}-(?:\\d{2}-.*|failure)\\.png$`, 'u');
    for (const old of readdirSync(SCREENSHOTS).filter((f) => own.test(f))) rmSync(join(SCREENSHOTS, old), { force: true });
    let n = 0;
    const shot = async (label: string) => {
      n += 1;
      await page.screenshot({ path: join(SCREENSHOTS, `${prefix}-${String(n).padStart(2, '0')}-${slug(label)}.png`), fullPage: true });
    };
    try {
      return await body({ context, page, shot, visited });
    } catch (error) {
      await page.screenshot({ path: join(SCREENSHOTS, `${prefix}-failure.png`), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  }
}
