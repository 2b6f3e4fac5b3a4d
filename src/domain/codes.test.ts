/** @module Confirmation codes (spec §5.5): six digits, a keyed digest bound to pool and user, 24 hours. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from '../util/secret-box.ts';
import { CODE_VALIDITY_MS, codeMatches, issueCode } from './codes.ts';

const box = new SecretBox(randomBytes(32));
const NOW = 1_700_000_000_000;

test('six zero-padded digits, valid for exactly 24 hours, stored only as a digest', () => {
  for (let i = 0; i < 200; i++) {
    const { code, record } = issueCode(box, 'us-east-1_P', 'user', 'email', NOW);
    assert.match(code, /^[0-9]{6}$/u);
    assert.ok(!record.digest.includes(code));
    assert.deepEqual([record.expiresAt, record.createdAt, record.deliveredTo], [NOW + CODE_VALIDITY_MS, NOW, 'email']);
  }
  assert.equal(CODE_VALIDITY_MS, 24 * 60 * 60 * 1000);
});

test('a code matches only its own pool and user, and only under the key that issued it', () => {
  const { code, record } = issueCode(box, 'us-east-1_P', 'user', 'email', NOW);
  assert.equal(codeMatches(box, 'us-east-1_P', 'user', code, record), true);
  assert.equal(codeMatches(box, 'us-east-1_P', 'other', code, record), false);
  assert.equal(codeMatches(box, 'us-east-1_Q', 'user', code, record), false);
  assert.equal(codeMatches(new SecretBox(randomBytes(32)), 'us-east-1_P', 'user', code, record), false);
  const wrong = code === '000000' ? '000001' : '000000';
  assert.equal(codeMatches(box, 'us-east-1_P', 'user', wrong, record), false);
  assert.equal(codeMatches(box, 'us-east-1_P', 'user', ` ${code}`, record), false);
});
