/** @module Username and alias keys and the SignUp username rules (spec §5.1). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { viewPool } from './pool-view.ts';
import { aliasKey, checkSignUpUsername, loginAliases, usernameKey } from './usernames.ts';

const poolWith = (settings: Record<string, unknown>) =>
  viewPool({ id: 'us-east-1_Test', name: 'p', settings, limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 }, createdAt: 0, updatedAt: 0 });

const messageOf = (f: () => void) => {
  try {
    f();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

test('case sensitivity defaults to true and applies to usernames and email aliases, never to phone numbers', () => {
  const sensitive = poolWith({});
  const insensitive = poolWith({ UsernameConfiguration: { CaseSensitive: false } });
  assert.equal(usernameKey(sensitive, 'Mixed'), 'Mixed');
  assert.equal(usernameKey(insensitive, 'Mixed'), 'mixed');
  assert.equal(aliasKey(insensitive, 'email', 'A@B.C'), 'a@b.c');
  assert.equal(aliasKey(insensitive, 'preferred_username', 'Nick'), 'nick');
  assert.equal(aliasKey(sensitive, 'email', 'A@B.C'), 'A@B.C');
});

test('a login string is tried as each alias attribute, or as each username attribute', () => {
  assert.deepEqual(loginAliases(poolWith({ AliasAttributes: ['email', 'phone_number'] }), 'x'), [
    { attribute: 'email', valueKey: 'x' },
    { attribute: 'phone_number', valueKey: 'x' },
  ]);
  assert.deepEqual(loginAliases(poolWith({ UsernameAttributes: ['email'] }), 'x@y.z'), [{ attribute: 'email', valueKey: 'x@y.z' }]);
  assert.deepEqual(loginAliases(poolWith({}), 'x'), []);
});

test('SignUp username rules and their messages', () => {
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{ UsernameAttributes: ['email'] }, 'plain', 'Username should be an email.'],
    [{ UsernameAttributes: ['email'] }, 'a@b.c', undefined],
    [{ UsernameAttributes: ['phone_number'] }, 'a@b.c', 'Username should be a phone number.'],
    [{ UsernameAttributes: ['phone_number'] }, '+15555550100', undefined],
    [{ UsernameAttributes: ['email', 'phone_number'] }, 'plain', 'Username should be either an email or a phone number.'],
    [{ AliasAttributes: ['email'] }, 'a@b.c', 'Username cannot be of email format, since user pool is configured for email alias.'],
    [{ AliasAttributes: ['phone_number'] }, '+15555550100', 'Username cannot be of phone number format, since user pool is configured for phone number alias.'],
    [{ AliasAttributes: ['email'] }, 'plain', undefined],
    [{}, 'a@b.c', undefined],
  ];
  for (const [settings, username, expected] of cases) {
    assert.equal(messageOf(() => checkSignUpUsername(poolWith(settings), username)), expected, `${JSON.stringify(settings)} ${username}`);
  }
});
