/** @module Signing keys (spec §10.2, §10.8): the kid rule, the JWKS bytes, and keys parsed once from PEM. */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { generateSigningKey, jwks, kidFor, SigningKey, type PublicJwk } from './signing-keys.ts';

const first = await generateSigningKey();
const second = await generateSigningKey();

test('kid is standard base64 with padding of SHA-256 over the public key SPKI: 44 characters', () => {
  for (const key of [first, second]) {
    assert.match(key.kid, /^[A-Za-z0-9+/]{43}=$/u);
    const spki = createPublicKey({ key: { kty: 'RSA', n: key.publicJwk.n, e: key.publicJwk.e }, format: 'jwk' }).export({ format: 'der', type: 'spki' });
    assert.equal(key.kid, createHash('sha256').update(spki).digest('base64'));
    assert.equal(key.publicJwk.kid, key.kid);
  }
  assert.notEqual(first.kid, second.kid);
});

test('a generated key is RSA-2048 with exponent 65537, its public JWK in alphabetical member order', () => {
  assert.deepEqual(Object.keys(first.publicJwk), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  assert.deepEqual([first.publicJwk.alg, first.publicJwk.e, first.publicJwk.kty, first.publicJwk.use], ['RS256', 'AQAB', 'RSA', 'sig']);
  assert.equal(Buffer.from(first.publicJwk.n, 'base64url').length, 256);
  assert.match(first.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/u);
});

test('jwks() gives exactly the AWS document shape, whatever order the stored JWK members came back in', () => {
  const shuffled = { use: 'sig', n: second.publicJwk.n, kty: 'RSA', kid: second.kid, e: 'AQAB', alg: 'RS256' } as PublicJwk;
  const doc = jwks([first, { publicJwk: shuffled }]);
  const p = (k: { kid: string; n: string }) => `{"alg":"RS256","e":"AQAB","kid":"${k.kid}","kty":"RSA","n":"${k.n}","use":"sig"}`;
  assert.equal(JSON.stringify(doc), `{"keys":[${p(first.publicJwk)},${p(second.publicJwk)}]}`);
  assert.deepEqual(jwks([]), { keys: [] });
});

test('SigningKey.fromPem derives the same kid and JWK, and its key objects sign and verify', async () => {
  const key = await SigningKey.fromPem(first.privateKeyPem, first.kid);
  assert.equal(key.kid, first.kid);
  assert.deepEqual(key.publicJwk, first.publicJwk);
  assert.equal(kidFor(key.publicKeyObject), first.kid);
  const signature = sign('sha256', Buffer.from('x'), key.privateKeyObject);
  const fromJwk = createPublicKey({ key: { kty: 'RSA', n: first.publicJwk.n, e: first.publicJwk.e }, format: 'jwk' });
  assert.equal(verify('sha256', Buffer.from('x'), fromJwk, signature), true);
  assert.equal(key.privateKey.type, 'private');
  assert.equal(key.publicKey.type, 'public');
  assert.equal(key.privateKey.extractable, false);
});

test('SigningKey.fromPem refuses a PEM that does not match the stored kid', async () => {
  await assert.rejects(SigningKey.fromPem(first.privateKeyPem, second.kid), /does not match kid/u);
});

test('SigningKey.fromPem refuses keys that are not RSA or are under 2048 bits', async () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await assert.rejects(SigningKey.fromPem(ec), /must be RSA/u);
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await assert.rejects(SigningKey.fromPem(small), /at least 2048 bits/u);
  await assert.rejects(SigningKey.fromPem('not a pem'));
});
