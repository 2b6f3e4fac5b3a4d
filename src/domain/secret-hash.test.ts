/** @module SecretHash (spec §5.7): the published test vector and the any-secret, any-candidate rule. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretHash, secretHashMatches } from './secret-hash.ts';

// AWS's published example client id and secret (spec §5.7).
const CLIENT = '26cb2c60kq7nbmas7rbme9b6pp';
const SECRET = '13ka4h7u28d9oo44tqpq9djqsfvhvu8rk4d2ighvpu0k8fj1c2r9';

test('the spec §5.7 test vector, which is case-sensitive in the username', () => {
  assert.equal(secretHash(SECRET, 'testuser', CLIENT), 'JeNFMOHrmUOKtDpmxwj6sf3w7j1MzNOmxfNdt8wKJYc=');
  assert.equal(secretHash(SECRET, 'Testuser', CLIENT), 'zpXDq0bFHQi+W03LTCGT94SlSMKpHXCiYvhNkbQGz8s=');
});

test('a hash under either active secret and over either candidate username matches', () => {
  const other = 'anothersecretanothersecretanothersecret0000';
  const candidates = ['login@example.com', '0b1c2d3e-0000-4000-8000-000000000000'];
  for (const secret of [SECRET, other]) {
    for (const username of candidates) {
      assert.equal(secretHashMatches(secretHash(secret, username, CLIENT), [SECRET, other], candidates, CLIENT), true);
    }
  }
});

test('a hash under a retired secret, over another username or for another client does not match', () => {
  assert.equal(secretHashMatches(secretHash('retired', 'testuser', CLIENT), [SECRET], ['testuser'], CLIENT), false);
  assert.equal(secretHashMatches(secretHash(SECRET, 'Testuser', CLIENT), [SECRET], ['testuser'], CLIENT), false);
  assert.equal(secretHashMatches(secretHash(SECRET, 'testuser', 'otherclient'), [SECRET], ['testuser'], CLIENT), false);
  assert.equal(secretHashMatches('', [SECRET], ['testuser'], CLIENT), false);
  assert.equal(secretHashMatches(secretHash(SECRET, 'testuser', CLIENT), [], ['testuser'], CLIENT), false);
});
