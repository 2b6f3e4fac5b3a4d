/** @module The escaping template of the hosted pages: every plain value escaped, only its own fragments passed through. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, SafeHtml } from './html.ts';

test('every interpolated string is escaped, in text and in quoted attributes', () => {
  const hostile = `"><script>alert('x')</script>\`&`;
  assert.equal(html`<p title="${hostile}">${hostile}</p>`.toString(), '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#96;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#96;&amp;</p>');
});

test('fragments made by html pass through once; lists are joined; empty values vanish', () => {
  const item = (v: string) => html`<li>${v}</li>`;
  assert.equal(html`<ul>${['a', '<b>'].map(item)}</ul>${undefined}${null}${false}`.toString(), '<ul><li>a</li><li>&lt;b&gt;</li></ul>');
  assert.equal(html`${html`${'<i>'}`}`.toString(), '&lt;i&gt;');
});

test('a fragment cannot be made from a plain string', () => {
  assert.throws(() => new SafeHtml(Symbol('html'), '<script>'), TypeError);
  assert.equal(escapeHtml('a&b'), 'a&amp;b');
});
