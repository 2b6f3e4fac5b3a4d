import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBox } from '../util/secret-box.ts';
import { newSignInCode, signInCodeDigest, signInCodeMatches, standInSignInCode } from './one-time-codes.ts';

const box = new SecretBox(randomBytes(32));

describe('sign-in codes', () => {
  it('are eight decimal digits, zero-padded, and vary', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newSignInCode()));
    for (const code of codes) assert.match(code, /^\d{8}$/u);
    assert.ok(codes.size > 190);
  });

  it('match only the code, pool and user they were made for', () => {
    const stored = signInCodeDigest(box, 'us-east-1_a', 'alice', '01234567');
    assert.equal(signInCodeMatches(box, 'us-east-1_a', 'alice', '01234567', stored), true);
    assert.equal(signInCodeMatches(box, 'us-east-1_a', 'alice', '01234568', stored), false);
    assert.equal(signInCodeMatches(box, 'us-east-1_a', 'bob', '01234567', stored), false);
    assert.equal(signInCodeMatches(box, 'us-east-1_b', 'alice', '01234567', stored), false);
    assert.doesNotMatch(stored.digest, /01234567/u);
  });

  it('are bound to one session: the same code in another session does not match', () => {
    const first = signInCodeDigest(box, 'p', 'u', '11111111');
    const second = signInCodeDigest(box, 'p', 'u', '11111111');
    assert.notEqual(first.digest, second.digest);
    assert.equal(signInCodeMatches(box, 'p', 'u', '11111111', { nonce: first.nonce, digest: second.digest }), false);
  });

  it('a stand-in matches no code', () => {
    const stored = standInSignInCode(box, 'p', 'ghost');
    for (let i = 0; i < 50; i++) assert.equal(signInCodeMatches(box, 'p', 'ghost', newSignInCode(), stored), false);
  });
});
