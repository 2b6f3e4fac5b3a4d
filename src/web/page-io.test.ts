/** @module The shared page headers: policies built from directives, and the cookie reader. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieValues, policyText, securityHeaders } from './page-io.ts';

test('policyText writes the base directives in order, each with the sources extra adds', () => {
  const base = { 'default-src': ["'none'"], 'img-src': ["'self'", 'data:'], 'form-action': ["'self'"] };
  assert.equal(policyText(base), "default-src 'none'; img-src 'self' data:; form-action 'self'");
  assert.equal(
    policyText(base, { 'form-action': ['https://app.example'], 'img-src': undefined }),
    "default-src 'none'; img-src 'self' data:; form-action 'self' https://app.example",
  );
  // An addition for a directive the base lacks would open a new kind of load: it is dropped.
  assert.equal(policyText(base, { 'script-src': ['https://cdn.example'] }), policyText(base));
});

test('securityHeaders: no referrer unless a page asks for same-origin', () => {
  assert.equal(securityHeaders('x')['Referrer-Policy'], 'no-referrer');
  assert.equal(securityHeaders('x', 'same-origin')['Referrer-Policy'], 'same-origin');
  assert.equal(securityHeaders('x')['X-Frame-Options'], 'DENY');
});

test('cookieValues finds every value of one name, ignoring look-alikes', () => {
  assert.deepEqual(cookieValues('a=1; XSRF-TOKEN=t1; XSRF-TOKEN2=no; XSRF-TOKEN=t2', 'XSRF-TOKEN'), ['t1', 't2']);
  assert.deepEqual(cookieValues(undefined, 'XSRF-TOKEN'), []);
});
