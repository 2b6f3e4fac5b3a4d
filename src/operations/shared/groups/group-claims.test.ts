/** @module The group claims: every group, the roles in precedence order, and the preferred-role tie rule. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GroupRecord } from '../../../store/group-store.ts';
import { groupClaims } from './group-claims.ts';

const arn = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const g = (groupName: string, precedence: number | null, role: string | null): GroupRecord => ({
  poolId: 'us-east-1_x', groupName, description: null, roleArn: role && arn(role), precedence, createdAt: 0, updatedAt: 0,
});

test('no groups, no claims', () => {
  assert.deepEqual(groupClaims([]), { groups: [], roles: [], preferredRole: null });
});

test('the lowest precedence among groups with a role wins, and its role comes first', () => {
  const claims = groupClaims([g('a', 5, 'five'), g('b', 0, null), g('c', 1, 'one'), g('d', null, 'none')]);
  assert.deepEqual(claims.groups, ['a', 'b', 'c', 'd']);
  assert.deepEqual(claims.roles, [arn('one'), arn('five'), arn('none')]);
  assert.equal(claims.preferredRole, arn('one'));
});

test('a tie at the top names a role only when the tied groups share it', () => {
  assert.equal(groupClaims([g('a', 1, 'x'), g('b', 1, 'y'), g('c', 2, 'z')]).preferredRole, null);
  const same = groupClaims([g('a', 1, 'x'), g('b', 1, 'x'), g('c', 2, 'z')]);
  assert.equal(same.preferredRole, arn('x'));
  assert.deepEqual(same.roles, [arn('x'), arn('z')], 'a role shared by two groups is listed once');
});

test('groups without a precedence rank last and tie with each other', () => {
  assert.equal(groupClaims([g('a', null, 'x')]).preferredRole, arn('x'));
  assert.equal(groupClaims([g('a', null, 'x'), g('b', null, 'y')]).preferredRole, null);
  assert.equal(groupClaims([g('a', null, 'x'), g('b', 7, 'y')]).preferredRole, arn('y'));
});
