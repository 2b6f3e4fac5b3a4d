/**
 * @module A browser without JavaScript for the hosted pages and the OAuth endpoints: cookies kept by
 * name (one domain per test), redirects not followed, forms submitted with their hidden fields.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  location: string;
}

export interface RequestInit {
  method?: string;
  form?: Record<string, string>;
  /** False sends the request without the jar's cookies. */
  cookies?: boolean;
}

export class FormBrowser {
  readonly cookies = new Map<string, string>();
  /** Prefixed to paths that are not absolute URLs. */
  constructor(readonly origin = '') {}

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const headers: Record<string, string> = {};
    if (init.cookies !== false && this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url.startsWith('http') ? url : this.origin + url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      if (value === '' || /max-age=0/iu.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') ?? '' };
  }

  go(url: string, form?: Record<string, string>, method?: string): Promise<Page> {
    return this.request(url, { ...(form ? { form } : {}), ...(method ? { method } : {}) });
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  /** Posts a form the way a browser submits the page's own form: with its hidden `_csrf`. */
  post(url: string, page: Page, form: Record<string, string>): Promise<Page> {
    return this.request(url, { form: { _csrf: csrfOf(page), ...form } });
  }

  /** Submits one of the page's forms (by position, or by its button's text) with its action, its hidden fields and the values given. */
  submit(page: Page, values: Record<string, string> = {}, which: number | string = 0): Promise<Page> {
    const forms = [...page.text.matchAll(/<form\b[^>]*\bmethod="post"[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/gu)];
    const found = typeof which === 'number' ? forms[which] : forms.find((f) => f[2]!.includes(`>${which}</button>`));
    assert.ok(found, `no form ${JSON.stringify(which)} in:\n${page.text}`);
    const hidden = Object.fromEntries([...found[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/gu)].map((m) => [m[1]!, m[2]!]));
    return this.request(found[1]!.replaceAll('&amp;', '&'), { form: { ...hidden, ...values } });
  }

  /** authorize → /login → the form post; the callback the browser lands on. */
  async signIn(authorizeUrl: string, username: string, password: string): Promise<string> {
    const start = await this.go(authorizeUrl);
    assert.equal(start.status, 302, start.text);
    assert.match(start.location, /\/login\?/u);
    const page = await this.go(start.location);
    assert.equal(page.status, 200, page.text);
    const done = await this.post(start.location, page, { username, password });
    assert.equal(done.status, 302, done.text);
    return done.location;
  }
}

export function csrfOf(page: Page): string {
  const match = /name="_csrf" value="([^"]+)"/u.exec(page.text);
  assert.ok(match, `no _csrf field in:\n${page.text}`);
  return match[1]!;
}

/** The text of the page's error (role="alert"), or ''. */
export function alertOf(page: Page): string {
  return /role="alert">([^<]*)</u.exec(page.text)?.[1] ?? '';
}

/** An RFC 7636 verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
