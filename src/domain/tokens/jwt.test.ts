/** @module JWT signing and the access-token check (spec §10.2, §11): header bytes, and every refusal reason. */
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { test } from 'node:test';
import { accessTokenClaims, idTokenClaims } from './claims.ts';
import { ACCESS_TOKEN_ERRORS, signJwt, verifyAccessToken, type KeyLookup, type TrustedKey } from './jwt.ts';
import { generateSigningKey, SigningKey } from './signing-keys.ts';

const accessKey = await SigningKey.fromPem((await generateSigningKey()).privateKeyPem);
const idKey = await SigningKey.fromPem((await generateSigningKey()).privateKeyPem);
const strangerKey = await SigningKey.fromPem((await generateSigningKey()).privateKeyPem);

const ISSUER = 'http://localhost:9229/us-east-1_Example01';
const NOW = 1_700_000_000_000;
const user = { sub: '0f5e4d3c-2b1a-4098-8765-43210fedcba9', username: 'jane', attributes: { email: 'j@example.com', email_verified: 'true' } };
const common = { issuer: ISSUER, clientId: 'client1', originJti: 'o-1', eventId: 'e-1', authTime: NOW, now: NOW, validitySeconds: 3600 };

const ring = new Map<string, TrustedKey>([
  [accessKey.kid, { key: accessKey, issuer: ISSUER }],
  [idKey.kid, { key: idKey, issuer: ISSUER }],
]);
const lookup: KeyLookup = (kid) => ring.get(kid);

const b64 = (value: string) => Buffer.from(value).toString('base64url');
const decode = (segment: string) => Buffer.from(segment, 'base64url').toString('utf8');

test('the header is exactly {"kid":"…","alg":"RS256"}, byte for byte, with no typ', async () => {
  const token = await signJwt(accessTokenClaims({ ...common, user }), accessKey);
  const [header] = token.split('.');
  assert.equal(decode(header!), `{"kid":"${accessKey.kid}","alg":"RS256"}`);
  assert.equal(header, b64(`{"kid":"${accessKey.kid}","alg":"RS256"}`));
});

test('the payload is the claims as given, member order preserved', async () => {
  const claims = idTokenClaims({ ...common, user });
  const token = await signJwt(claims, idKey);
  assert.equal(decode(token.split('.')[1]!), JSON.stringify(claims));
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u);
});

test('a sound access token verifies and returns its claims and kid', async () => {
  const claims = accessTokenClaims({ ...common, user });
  const result = await verifyAccessToken(await signJwt(claims, accessKey), lookup, NOW);
  assert.deepEqual(result, { ok: true, claims, kid: accessKey.kid });
});

test('a tampered payload is invalid', async () => {
  const token = await signJwt(accessTokenClaims({ ...common, user }), accessKey);
  const [h, p, s] = token.split('.') as [string, string, string];
  const forged = b64(decode(p).replace('"username":"jane"', '"username":"root"'));
  assert.notEqual(forged, p);
  assert.deepEqual(await verifyAccessToken(`${h}.${forged}.${s}`, lookup, NOW), { ok: false, reason: 'invalid' });
});

test('an unknown kid is invalid, and so is a token whose kid names another of our keys', async () => {
  const claims = accessTokenClaims({ ...common, user });
  assert.deepEqual(await verifyAccessToken(await signJwt(claims, strangerKey), lookup, NOW), { ok: false, reason: 'invalid' });
  const mislabelled = await signJwt(claims, { kid: idKey.kid, privateKey: accessKey.privateKey });
  assert.deepEqual(await verifyAccessToken(mislabelled, lookup, NOW), { ok: false, reason: 'invalid' });
});

test('an ID token is not an access token', async () => {
  const id = await signJwt(idTokenClaims({ ...common, user }), idKey);
  assert.deepEqual(await verifyAccessToken(id, lookup, NOW), { ok: false, reason: 'invalid' });
  // Even an ID token that happens to carry every access-token member is refused on token_use.
  const lookalike = { ...accessTokenClaims({ ...common, user }), token_use: 'id' };
  assert.deepEqual(await verifyAccessToken(await signJwt(lookalike, accessKey), lookup, NOW), { ok: false, reason: 'invalid' });
});

test('a token from another issuer is invalid even under a key we hold', async () => {
  const other = await signJwt(accessTokenClaims({ ...common, user, issuer: 'http://localhost:9229/us-east-1_Other0001' }), accessKey);
  assert.deepEqual(await verifyAccessToken(other, lookup, NOW), { ok: false, reason: 'invalid' });
  const both: KeyLookup = (kid) => (kid === accessKey.kid ? { key: accessKey, issuer: [ISSUER, 'http://localhost:9229/us-east-1_Other0001'] } : undefined);
  assert.equal((await verifyAccessToken(other, both, NOW)).ok, true);
});

test('expired means exp <= now: valid a millisecond before, expired at exp itself', async () => {
  const claims = accessTokenClaims({ ...common, user });
  const token = await signJwt(claims, accessKey);
  assert.equal((await verifyAccessToken(token, lookup, claims.exp * 1000 - 1)).ok, true);
  assert.deepEqual(await verifyAccessToken(token, lookup, claims.exp * 1000), { ok: false, reason: 'expired' });
  assert.deepEqual(await verifyAccessToken(token, lookup, claims.exp * 1000 + 86_400_000), { ok: false, reason: 'expired' });
});

test('an expired token that is also wrong in another way is invalid, not expired', async () => {
  const id = await signJwt(idTokenClaims({ ...common, user }), idKey);
  assert.deepEqual(await verifyAccessToken(id, lookup, NOW + 10 * 86_400_000), { ok: false, reason: 'invalid' });
});

test('malformed input of every kind is invalid', async () => {
  const good = await signJwt(accessTokenClaims({ ...common, user }), accessKey);
  const [h, p] = good.split('.') as [string, string, string];
  const cases = [
    '', 'garbage', 'a.b', 'a.b.c', `${good}.x`, `${good}=`, ` ${good}`, `${h}.${p}.`, `${h}.${p}`,
    `${b64('{"alg":"none"}')}.${p}.`,
    `${b64(`{"kid":"${accessKey.kid}","alg":"HS256"}`)}.${p}.AAAA`,
    `${b64('{"alg":"RS256"}')}.${p}.AAAA`,
    `${b64('not json')}.${p}.AAAA`,
    'x'.repeat(20_000),
  ];
  for (const token of cases) assert.deepEqual(await verifyAccessToken(token, lookup, NOW), { ok: false, reason: 'invalid' }, token.slice(0, 40));
  assert.deepEqual(await verifyAccessToken(undefined as unknown as string, lookup, NOW), { ok: false, reason: 'invalid' });
});

test('a validly signed payload that is not a claims object is invalid', async () => {
  const rawSigned = (payload: string) => {
    const input = `${b64(`{"kid":"${accessKey.kid}","alg":"RS256"}`)}.${b64(payload)}`;
    const signature = createSign('sha256').update(input).sign(accessKey.privateKeyObject).toString('base64url');
    return `${input}.${signature}`;
  };
  for (const payload of ['[]', 'null', '"x"', '{}', 'not json', '{"token_use":"access","exp":"soon"}']) {
    assert.deepEqual(await verifyAccessToken(rawSigned(payload), lookup, NOW), { ok: false, reason: 'invalid' }, payload);
  }
  const claims = accessTokenClaims({ ...common, user });
  assert.equal((await verifyAccessToken(rawSigned(JSON.stringify(claims)), lookup, NOW)).ok, true);
});

test('a failing key lookup rejects instead of blaming the token', async () => {
  const token = await signJwt(accessTokenClaims({ ...common, user }), accessKey);
  const broken: KeyLookup = async () => {
    throw new Error('store unavailable');
  };
  await assert.rejects(verifyAccessToken(token, broken, NOW), /store unavailable/u);
});

test('the refusal reasons map to Cognito’s messages, with no trailing period', () => {
  assert.deepEqual(ACCESS_TOKEN_ERRORS, {
    invalid: { type: 'NotAuthorizedException', message: 'Invalid Access Token' },
    expired: { type: 'NotAuthorizedException', message: 'Access Token has expired' },
    scope: { type: 'NotAuthorizedException', message: 'Access Token does not have required scopes' },
    revoked: { type: 'NotAuthorizedException', message: 'Access Token has been revoked' },
  });
});
