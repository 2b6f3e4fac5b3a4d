/** @module Refresh tokens (spec §10.5–10.7): the JWE shape, the syntactic pre-check, the digest and the client's refresh rules. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from '../../util/secret-box.ts';
import { looksLikeRefreshToken, newRefreshToken, REFRESH_TOKEN_HEADER, refreshPolicy, refreshTokenDigest } from './refresh-token.ts';

const TOKEN_MODEL_PATTERN = /^[A-Za-z0-9-_=.]+$/u;

test('five base64url parts: the AWS JWE header, then 256, 12, 1152 and 16 random bytes', () => {
  const token = newRefreshToken();
  const parts = token.split('.');
  assert.equal(parts.length, 5);
  assert.equal(Buffer.from(parts[0]!, 'base64url').toString(), '{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}');
  assert.equal(parts[0], REFRESH_TOKEN_HEADER);
  assert.equal(parts[0], 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ');
  assert.deepEqual(parts.slice(1).map((p) => Buffer.from(p, 'base64url').length), [256, 12, 1152, 16]);
  for (const part of parts) assert.match(part, /^[A-Za-z0-9_-]+$/u);
  assert.match(token, TOKEN_MODEL_PATTERN);
});

test('tokens never repeat', () => {
  const seen = new Set(Array.from({ length: 200 }, () => newRefreshToken()));
  assert.equal(seen.size, 200);
});

test('every issued token passes the syntactic check', () => {
  for (let i = 0; i < 200; i++) assert.equal(looksLikeRefreshToken(newRefreshToken()), true);
});

test('anything not shaped like our tokens fails the syntactic check', () => {
  const [header, key, iv, ciphertext, tag] = newRefreshToken().split('.') as [string, string, string, string, string];
  const jwt = 'eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2ln';
  const otherHeader = Buffer.from('{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP-256"}').toString('base64url');
  const cases: unknown[] = [
    undefined, null, 42, '', 'garbage', jwt,
    [header, key, iv, ciphertext].join('.'),
    [header, key, iv, ciphertext, tag, tag].join('.'),
    [otherHeader, key, iv, ciphertext, tag].join('.'),
    [header, key.slice(1), iv, ciphertext, tag].join('.'),
    [header, key, `${iv}=`, ciphertext, tag].join('.'),
    [header, key, iv, '', tag].join('.'),
    [header, key, iv, `${ciphertext.slice(1)}+`, tag].join('.'),
    [header, key, iv, ciphertext, `${tag}A`].join('.'),
    [header, key, iv, 'A'.repeat(5000), tag].join('.'),
    ` ${[header, key, iv, ciphertext, tag].join('.')}`,
  ];
  for (const text of cases) assert.equal(looksLikeRefreshToken(text), false, String(text).slice(0, 40));
});

test('the digest is keyed: stable under one server key, different under another, and never the token', () => {
  const box = new SecretBox(randomBytes(32));
  const token = newRefreshToken();
  const digest = refreshTokenDigest(box, token);
  assert.equal(refreshTokenDigest(box, token), digest);
  assert.notEqual(refreshTokenDigest(new SecretBox(randomBytes(32)), token), digest);
  assert.notEqual(refreshTokenDigest(box, newRefreshToken()), digest);
  assert.ok(!token.includes(digest) && !digest.includes(token.split('.')[1]!));
  assert.equal(box.macMatches('refresh-token', token, digest), true);
});

test('refresh policy: revocation on and rotation off unless the client says otherwise', () => {
  assert.deepEqual(refreshPolicy({}), { revocationEnabled: true, rotation: false, retryGraceSeconds: 0 });
  assert.deepEqual(refreshPolicy({ EnableTokenRevocation: false }), { revocationEnabled: false, rotation: false, retryGraceSeconds: 0 });
  assert.deepEqual(refreshPolicy({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 } }), {
    revocationEnabled: true, rotation: true, retryGraceSeconds: 30,
  });
  assert.deepEqual(refreshPolicy({ RefreshTokenRotation: { Feature: 'ENABLED' } }).retryGraceSeconds, 0);
  assert.deepEqual(refreshPolicy({ RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 30 } }), {
    revocationEnabled: true, rotation: false, retryGraceSeconds: 0,
  });
});
