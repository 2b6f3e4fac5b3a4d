/**
 * @module The store contract for the groups aggregate on every backend: groups and their pages,
 * partial updates, memberships (idempotent both ways, refused for a missing group or user), the
 * reads tokens and the list operations make, the cascades from group, user and pool, and the same
 * intents racing across two instances.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GroupRecord } from '../../src/store/group-store.ts';
import { allPages, count, newPoolWithUser, poolRecord, spread, T0, unique, userRecord } from './fixtures.ts';
import { forEachBackend } from './backends.ts';

function groupRecord(poolId: string, groupName: string, extra: Partial<GroupRecord> = {}): GroupRecord {
  return { poolId, groupName, description: null, roleArn: null, precedence: null, createdAt: T0, updatedAt: T0, ...extra };
}

const ROLE = 'arn:aws:iam::123456789012:role/readers';
/** The pool's group quota where a test is not about it. */
const MAX = 10_000;

forEachBackend('groups', (store, second) => {
  it('creates, reads, pages, updates and deletes groups, per pool', async () => {
    const pool = poolRecord();
    const other = poolRecord();
    await store.createUserPool(pool);
    await store.createUserPool(other);
    const readers = groupRecord(pool.id, 'readers', { description: 'may read', roleArn: ROLE, precedence: 2 });
    assert.deepEqual(await store.createGroup(readers, MAX), { kind: 'created' });
    assert.deepEqual(await second.createGroup({ ...readers, description: 'again' }, MAX), { kind: 'group-exists' });
    assert.deepEqual(await store.createGroup(groupRecord(other.id, 'readers'), MAX), { kind: 'created' }, 'names are per pool');
    assert.deepEqual(await store.createGroup(groupRecord('us-east-1_nopool', 'x'), MAX), { kind: 'pool-not-found' });
    assert.deepEqual(await second.getGroup(pool.id, 'readers'), readers);
    assert.equal(await store.getGroup(pool.id, 'Readers'), undefined, 'group names are compared exactly');

    for (const name of ['editors', 'admins', 'zeta', 'Écrivains']) await store.createGroup(groupRecord(pool.id, name), MAX);
    const pages = await allPages((cursor) => second.listGroups(pool.id, 2, cursor));
    assert.deepEqual(pages.map((p) => p.map((g) => g.groupName)), [['admins', 'editors'], ['readers', 'zeta'], ['Écrivains']]);

    const changed = await store.updateGroup(pool.id, 'readers', { precedence: 0 }, T0 + 5000);
    assert.deepEqual(changed, { ...readers, precedence: 0, updatedAt: T0 + 5000 }, 'members left out keep their values');
    const described = await second.updateGroup(pool.id, 'readers', { description: '', roleArn: `${ROLE}2` }, T0 + 6000);
    assert.deepEqual(described, { ...readers, description: '', roleArn: `${ROLE}2`, precedence: 0, updatedAt: T0 + 6000 });
    assert.equal(await store.updateGroup(pool.id, 'nobody', { precedence: 1 }, T0), undefined);

    assert.equal(await store.deleteGroup(pool.id, 'readers'), true);
    assert.equal(await second.deleteGroup(pool.id, 'readers'), false);
    assert.equal(await store.getGroup(pool.id, 'readers'), undefined);
    assert.ok(await store.getGroup(other.id, 'readers'), 'the other pool keeps its group of that name');
  });

  it('adds and removes members idempotently and refuses a missing group or user', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('member'));
    await store.createGroup(groupRecord(pool.id, 'b-group', { roleArn: ROLE, precedence: 1 }), MAX);
    await store.createGroup(groupRecord(pool.id, 'a-group'), MAX);
    const key = user.usernameKey;
    assert.deepEqual(await store.addUserToGroup(pool.id, 'b-group', key, T0), { kind: 'done' });
    assert.deepEqual(await second.addUserToGroup(pool.id, 'b-group', key, T0 + 1), { kind: 'done' }, 'a second add is no error');
    assert.deepEqual(await store.addUserToGroup(pool.id, 'a-group', key, T0), { kind: 'done' });
    assert.deepEqual(await store.addUserToGroup(pool.id, 'no-group', key, T0), { kind: 'group-not-found' });
    assert.deepEqual(await store.addUserToGroup(pool.id, 'a-group', 'nobody', T0), { kind: 'user-not-found' });
    assert.deepEqual(await store.removeUserFromGroup(pool.id, 'no-group', key), { kind: 'group-not-found' });
    assert.deepEqual(await store.removeUserFromGroup(pool.id, 'a-group', 'nobody'), { kind: 'user-not-found' });

    const groups = await second.userGroups(pool.id, key);
    assert.deepEqual(groups.map((g) => [g.groupName, g.roleArn, g.precedence]), [['a-group', null, null], ['b-group', ROLE, 1]]);
    const pages = await allPages((cursor) => store.listGroupsForUser(pool.id, key, 1, cursor));
    assert.deepEqual(pages.map((p) => p.map((g) => g.groupName)), [['a-group'], ['b-group']]);

    assert.deepEqual(await store.removeUserFromGroup(pool.id, 'b-group', key), { kind: 'done' });
    assert.deepEqual(await second.removeUserFromGroup(pool.id, 'b-group', key), { kind: 'done' }, 'removing a non-member is no error');
    assert.deepEqual((await store.userGroups(pool.id, key)).map((g) => g.groupName), ['a-group']);
  });

  it('pages a group’s members as users, in username order', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    await store.createGroup(groupRecord(pool.id, 'team'), MAX);
    await store.createGroup(groupRecord(pool.id, 'others'), MAX);
    for (const name of ['dora', 'carl', 'anna', 'bert', 'emil']) {
      await store.insertUser({ user: userRecord(pool.id, name), aliases: [], messages: [] });
      if (name !== 'emil') await store.addUserToGroup(pool.id, 'team', name, T0);
    }
    await store.addUserToGroup(pool.id, 'others', 'emil', T0);
    const pages = await allPages((cursor) => second.listUsersInGroup(pool.id, 'team', 3, cursor));
    assert.deepEqual(pages.map((p) => p.map((u) => u.username)), [['anna', 'bert', 'carl'], ['dora']]);
    assert.equal(pages[0]![0]!.attributes.email, 'anna@example.com', 'members come back as whole users');
    assert.deepEqual((await store.listUsersInGroup(pool.id, 'nobody', 10)).items, []);
  });

  it('loses memberships with their group, their user and their pool', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('gone'));
    const stay = userRecord(pool.id, unique('stay'));
    await store.insertUser({ user: stay, aliases: [], messages: [] });
    for (const name of ['one', 'two']) {
      await store.createGroup(groupRecord(pool.id, name), MAX);
      await store.addUserToGroup(pool.id, name, user.usernameKey, T0);
      await store.addUserToGroup(pool.id, name, stay.usernameKey, T0);
    }
    assert.equal(await store.deleteGroup(pool.id, 'one'), true);
    assert.deepEqual((await second.userGroups(pool.id, stay.usernameKey)).map((g) => g.groupName), ['two']);
    await store.createGroup(groupRecord(pool.id, 'one'), MAX);
    assert.deepEqual((await store.listUsersInGroup(pool.id, 'one', 10)).items, [], 'a group made again under the old name starts empty');

    assert.equal(await store.deleteUser(pool.id, user.usernameKey), true);
    assert.deepEqual((await store.listUsersInGroup(pool.id, 'two', 10)).items.map((u) => u.usernameKey), [stay.usernameKey]);
    await store.insertUser({ user: userRecord(pool.id, user.username), aliases: [], messages: [] });
    assert.deepEqual(await store.userGroups(pool.id, user.usernameKey), [], 'a user made again under the old name starts in no group');

    assert.equal(await store.deleteUserPool(pool.id), true);
    assert.equal(await second.getGroup(pool.id, 'two'), undefined);
    assert.deepEqual(await store.userGroups(pool.id, stay.usernameKey), []);
  });

  it('races: one of 20 creations of a name wins; 20 adds of one member leave one membership', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('racer'));
    const created = await spread(store, second, 20, (s, i) => s.createGroup(groupRecord(pool.id, 'contested', { description: `try ${i}` }), MAX));
    assert.equal(count(created, (r) => r.kind === 'created'), 1);
    assert.equal(count(created, (r) => r.kind === 'group-exists'), 19);

    const added = await spread(store, second, 20, (s, i) => s.addUserToGroup(pool.id, 'contested', user.usernameKey, T0 + i));
    assert.ok(added.every((r) => r.kind === 'done'));
    assert.equal((await store.listUsersInGroup(pool.id, 'contested', 60)).items.length, 1);
  });

  it('races: 20 creations of different names under a quota of 5 create exactly 5; a taken name is still group-exists', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const results = await spread(store, second, 20, (s, i) => s.createGroup(groupRecord(pool.id, `q${String(i).padStart(2, '0')}`), 5));
    assert.equal(count(results, (r) => r.kind === 'created'), 5);
    assert.equal(count(results, (r) => r.kind === 'limit-exceeded'), 15);
    assert.equal((await store.listGroups(pool.id, 60)).items.length, 5);
    const taken = (await store.listGroups(pool.id, 1)).items[0]!.groupName;
    assert.deepEqual(await second.createGroup(groupRecord(pool.id, taken), 5), { kind: 'group-exists' });
    await store.deleteGroup(pool.id, taken);
    assert.deepEqual(await second.createGroup(groupRecord(pool.id, 'after-delete'), 5), { kind: 'created' }, 'a deletion makes room');
  });

  it('races: a deletion of the group against 20 adds leaves no member behind', async () => {
    for (let round = 0; round < 3; round++) {
      const pool = poolRecord();
      await store.createUserPool(pool);
      await store.createGroup(groupRecord(pool.id, 'doomed'), MAX);
      const users = Array.from({ length: 20 }, (_, i) => userRecord(pool.id, `u${i}`));
      for (const u of users) await store.insertUser({ user: u, aliases: [], messages: [] });
      const [deleted, ...added] = await Promise.all([
        second.deleteGroup(pool.id, 'doomed'),
        ...users.map((u, i) => (i % 2 ? second : store).addUserToGroup(pool.id, 'doomed', u.usernameKey, T0)),
      ]);
      assert.equal(deleted, true);
      assert.ok(added.every((r) => r.kind === 'done' || r.kind === 'group-not-found'));
      for (const u of users) assert.deepEqual(await store.userGroups(pool.id, u.usernameKey), [], `round ${round}: ${u.username} kept a membership`);
    }
  });
});
