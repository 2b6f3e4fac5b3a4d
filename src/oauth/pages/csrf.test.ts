/** @module The double-submit CSRF check and the pages' cookie paths and CSP, on hand-made requests. */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import type { DomainRequest } from '../endpoint.ts';
import { csrfAccepted, csrfToken } from './csrf.ts';
import { contentSecurityPolicy, cookiePath, formTargets } from './page-io.ts';

const at = (base: string, secure = false) => ({ base, secure }) as DomainRequest;
const req = (cookie?: string) => ({ headers: cookie ? { cookie } : {} }) as IncomingMessage;

test('a new token is set with the domain path, SameSite=Lax, HttpOnly, and Secure only over TLS', () => {
  const fresh = csrfToken(req(), at('http://127.0.0.1:9229/_domains/shop'));
  assert.match(fresh.setCookie[0]!, /^XSRF-TOKEN=[A-Za-z0-9_-]{43}; Path=\/_domains\/shop\/; SameSite=Lax; HttpOnly$/u);
  assert.match(csrfToken(req(), at('https://shop.auth.localhost:9229', true)).setCookie[0]!, /; Path=\/; SameSite=Lax; HttpOnly; Secure$/u);
  assert.notEqual(fresh.value, csrfToken(req(), at('http://x')).value, 'random per browser');
});

test('a browser that holds a well-formed token keeps it; a malformed one is replaced', () => {
  const held = 'a'.repeat(43);
  assert.deepEqual(csrfToken(req(`other=1; XSRF-TOKEN=${held}`), at('http://x')), { value: held, setCookie: [] });
  assert.equal(csrfToken(req('XSRF-TOKEN=<script>'), at('http://x')).setCookie.length, 1);
});

test('a post is accepted only with the cookie and an equal _csrf field', () => {
  const token = 'b'.repeat(43);
  const form = (value?: string) => new Map(value === undefined ? [] : [['_csrf', value]]);
  assert.equal(csrfAccepted(req(`XSRF-TOKEN=${token}`), form(token)), true);
  assert.equal(csrfAccepted(req(`XSRF-TOKEN=${token}`), form('c'.repeat(43))), false);
  assert.equal(csrfAccepted(req(`XSRF-TOKEN=${token}`), form()), false);
  assert.equal(csrfAccepted(req(), form(token)), false);
  assert.equal(csrfAccepted(req('XSRF-TOKEN='), form('')), false, 'two empty values are not a match');
});

test('cookie paths, and the callback origin added to form-action', () => {
  assert.equal(cookiePath(at('http://h/_domains/p')), '/_domains/p/');
  assert.equal(cookiePath(at('http://p.auth.localhost:1')), '/');
  assert.deepEqual(formTargets('http://localhost:3000/cb?x=1'), ['http://localhost:3000']);
  assert.deepEqual(formTargets('myapp://callback'), ['myapp:']);
  assert.equal(
    contentSecurityPolicy({ formTargets: ['https://app.example.com'] }),
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' https://app.example.com; frame-ancestors 'none'; base-uri 'none'",
  );
});
