/** @module null members read as absent members, at any depth; other JSON is untouched. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestJson } from './request-json.ts';

test('null members disappear from objects at every depth; null list elements leave a hole the validators reject', () => {
  assert.deepEqual(parseRequestJson('{"a":null,"b":{"c":null,"d":1},"e":"null"}'), { b: { d: 1 }, e: 'null' });
  const list = (parseRequestJson('{"l":[1,null]}') as { l: unknown[] }).l;
  assert.equal(list.length, 2);
  assert.equal(1 in list, false);
  assert.equal(parseRequestJson('null'), undefined);
  assert.deepEqual(parseRequestJson('{"__proto__":{"x":1}}'), JSON.parse('{"__proto__":{"x":1}}'));
});
