/** @module Access and ID token claim sets (spec §10.3, §10.4): members, order, types and times. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessTokenClaims, ADMIN_SCOPE, idTokenClaims } from './claims.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example01';
const NOW = 1_700_000_123_456;
const AUTH_TIME = 1_700_000_000_999;

const user = {
  sub: '3c1e9f2a-8f6b-4a51-9e1d-2b7c4d5e6f70',
  username: 'JaneDoe',
  attributes: {
    phone_number_verified: 'false',
    email: 'jane@example.com',
    'custom:tier': 'gold',
    email_verified: 'true',
    name: 'Jane',
    phone_number: '+15555550100',
  } as Record<string, string>,
};

const common = {
  issuer: ISSUER,
  clientId: '47r5gbil1bfhr09d5j50bekvmd',
  originJti: '8d5e0c1b-1f0e-4f55-a2b3-0c9d8e7f6a5b',
  eventId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
  authTime: AUTH_TIME,
  now: NOW,
  validitySeconds: 3600,
};

test('an access token carries exactly the spec §10.3 claims in the recommended order, and no aud', () => {
  const claims = accessTokenClaims({ ...common, user });
  assert.deepEqual(Object.keys(claims), [
    'sub', 'iss', 'client_id', 'origin_jti', 'event_id', 'token_use', 'scope', 'auth_time', 'exp', 'iat', 'jti', 'username',
  ]);
  const { jti, ...rest } = claims;
  assert.match(jti, UUID);
  assert.deepEqual(rest, {
    sub: user.sub,
    iss: ISSUER,
    client_id: common.clientId,
    origin_jti: common.originJti,
    event_id: common.eventId,
    token_use: 'access',
    scope: ADMIN_SCOPE,
    auth_time: 1_700_000_000,
    exp: 1_700_003_723,
    iat: 1_700_000_123,
    username: 'JaneDoe',
  });
  assert.equal('aud' in claims, false);
});

test('cognito:groups follows sub only when the user is in a group', () => {
  const inGroups = accessTokenClaims({ ...common, user, groups: ['admins', 'staff'] });
  assert.deepEqual(Object.keys(inGroups).slice(0, 3), ['sub', 'cognito:groups', 'iss']);
  assert.deepEqual(inGroups['cognito:groups'], ['admins', 'staff']);
  assert.equal('cognito:groups' in accessTokenClaims({ ...common, user, groups: [] }), false);
  const id = idTokenClaims({ ...common, user, groups: ['admins'] });
  assert.deepEqual(Object.keys(id).slice(0, 3), ['sub', 'cognito:groups', 'aud']);
  assert.equal('cognito:groups' in idTokenClaims({ ...common, user }), false);
});

test('the ID token names the groups’ roles before aud and the preferred role after the verified flags; the access token neither', () => {
  const roles = ['arn:aws:iam::123456789012:role/editors', 'arn:aws:iam::123456789012:role/readers'];
  const id = idTokenClaims({ ...common, user, groups: ['editors', 'readers'], roles, preferredRole: roles[0] });
  const keys = Object.keys(id);
  assert.deepEqual(keys.slice(0, 8), [
    'sub', 'cognito:groups', 'cognito:roles', 'aud', 'email_verified', 'phone_number_verified', 'cognito:preferred_role', 'origin_jti',
  ]);
  assert.deepEqual(id['cognito:roles'], roles);
  assert.equal(id['cognito:preferred_role'], roles[0]);
  const plain = idTokenClaims({ ...common, user, groups: ['editors'], roles: [], preferredRole: null });
  assert.equal('cognito:roles' in plain || 'cognito:preferred_role' in plain, false);
  const access = accessTokenClaims({ ...common, user, groups: ['editors'] });
  assert.equal('cognito:roles' in access || 'cognito:preferred_role' in access, false);
});

test('times are whole seconds and exp − iat is the validity', () => {
  for (const validitySeconds of [300, 3600, 86_400]) {
    const a = accessTokenClaims({ ...common, user, validitySeconds });
    const i = idTokenClaims({ ...common, user, validitySeconds });
    for (const c of [a, i]) {
      assert.equal(c.exp - c.iat, validitySeconds);
      assert.ok([c.exp, c.iat, c.auth_time].every(Number.isInteger));
      assert.equal(c.iat, Math.floor(NOW / 1000));
    }
  }
  assert.throws(() => accessTokenClaims({ ...common, user, validitySeconds: 1.5 }), RangeError);
  assert.throws(() => idTokenClaims({ ...common, user, validitySeconds: 0 }), RangeError);
});

test('every token gets a fresh jti while origin_jti and event_id come from the caller', () => {
  const jtis = new Set<string>();
  for (let i = 0; i < 50; i++) {
    jtis.add(accessTokenClaims({ ...common, user }).jti);
    jtis.add(idTokenClaims({ ...common, user }).jti);
  }
  assert.equal(jtis.size, 100);
  const a = accessTokenClaims({ ...common, user });
  const i = idTokenClaims({ ...common, user });
  assert.deepEqual([a.origin_jti, i.origin_jti, a.event_id, i.event_id], [common.originJti, common.originJti, common.eventId, common.eventId]);
});

test('a scope other than the API default can be set (for OAuth-issued tokens later)', () => {
  assert.equal(accessTokenClaims({ ...common, user, scope: 'openid email' }).scope, 'openid email');
});

test('an ID token: aud, cognito:username, boolean verified flags, then string attributes in name order', () => {
  const claims = idTokenClaims({ ...common, user });
  assert.deepEqual(Object.keys(claims), [
    'sub', 'aud', 'email_verified', 'phone_number_verified', 'origin_jti', 'event_id', 'token_use', 'auth_time', 'iss',
    'cognito:username', 'exp', 'iat', 'jti', 'custom:tier', 'email', 'name', 'phone_number',
  ]);
  const { jti, ...rest } = claims;
  assert.match(String(jti), UUID);
  assert.deepEqual(rest, {
    sub: user.sub,
    aud: common.clientId,
    email_verified: true,
    phone_number_verified: false,
    origin_jti: common.originJti,
    event_id: common.eventId,
    token_use: 'id',
    auth_time: 1_700_000_000,
    iss: ISSUER,
    'cognito:username': 'JaneDoe',
    exp: 1_700_003_723,
    iat: 1_700_000_123,
    'custom:tier': 'gold',
    email: 'jane@example.com',
    name: 'Jane',
    phone_number: '+15555550100',
  });
  assert.ok(JSON.stringify(claims).includes('"email_verified":true,"phone_number_verified":false'));
});

test('cognito:username is the immutable username even in an email-as-username pool', () => {
  const emailPoolUser = { ...user, username: user.sub, attributes: { email: 'jane@example.com' } };
  const id = idTokenClaims({ ...common, user: emailPoolUser });
  assert.equal(id['cognito:username'], user.sub);
  assert.equal(accessTokenClaims({ ...common, user: emailPoolUser }).username, user.sub);
});

test('ReadAttributes, when the client lists it, limits the attributes, flags and custom attributes alike', () => {
  const claims = idTokenClaims({ ...common, user, readableAttributes: ['email', 'email_verified', 'custom:tier'] });
  assert.deepEqual(
    Object.keys(claims).filter((k) => k in user.attributes),
    ['email_verified', 'custom:tier', 'email'],
  );
  const none = idTokenClaims({ ...common, user, readableAttributes: ['nickname'] });
  assert.deepEqual(Object.keys(none).filter((k) => k in user.attributes), []);
  // An empty list is taken as "not specified" (I).
  assert.equal(idTokenClaims({ ...common, user, readableAttributes: [] }).email, 'jane@example.com');
  assert.equal(idTokenClaims({ ...common, user, readableAttributes: null }).email, 'jane@example.com');
});

test('attribute names can never replace claims the server sets, and dev: attributes are never read', () => {
  const hostile = {
    ...user,
    attributes: { sub: 'forged', aud: 'other', 'cognito:username': 'root', token_use: 'access', 'dev:custom:secret': 's', locale: 'en' },
  };
  const claims = idTokenClaims({ ...common, user: hostile });
  assert.deepEqual([claims.sub, claims.aud, claims['cognito:username'], claims.token_use], [user.sub, common.clientId, 'JaneDoe', 'id']);
  assert.equal('dev:custom:secret' in claims, false);
  assert.equal(claims.locale, 'en');
});

test('attribute order in the token does not depend on the order the store returned them', () => {
  const reversed = { ...user, attributes: Object.fromEntries(Object.entries(user.attributes).reverse()) };
  const a = Object.keys(idTokenClaims({ ...common, user }));
  const b = Object.keys(idTokenClaims({ ...common, user: reversed }));
  assert.deepEqual(a, b);
});
