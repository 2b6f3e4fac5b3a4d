/**
 * @module The store contract for the users-and-codes aggregate on every backend: users, aliases,
 * lookups and filters, pool isolation, the ConfirmSignUp transaction, resend limits and
 * reinvitations, and the same intents racing across two instances.
 */
import assert from 'node:assert/strict';
import { it, describe } from 'node:test';
import type { AliasClaim } from '../../src/domain/records.ts';
import type { ConfirmJudgement, ConfirmState } from '../../src/store/store.ts';
import {
  allPages,
  code,
  confirmIfUnconfirmed,
  confirmRequest,
  count,
  emailAlias,
  message,
  newPoolWithUser,
  peek,
  poolRecord,
  spread,
  T0,
  HOUR,
  unique,
  userRecord,
  wrongCode,
} from './fixtures.ts';
import { forEachBackend } from './backends.ts';

forEachBackend('users and codes', (store, second) => {
  it('inserts users and finds them by username, alias and sub', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const user = userRecord(pool.id, 'Alice', { email: 'Alice@Example.com', custom: 'x' });
    const session = { digest: unique('session'), poolId: pool.id, usernameKey: 'alice', clientId: 'c', expiresAt: T0 + 180_000 };
    const created = await store.insertUser({ user, aliases: [emailAlias('alice@example.com')], code: code(), messages: [message(pool.id, 'Alice')], session });
    assert.deepEqual(created, { kind: 'created' });
    assert.deepEqual(await second.getUser(pool.id, 'alice'), user);
    const lookup = (usernameKey: string, aliases: AliasClaim[] = [], sub = 'no-such-sub') => store.findUser(pool.id, { usernameKey, aliases, sub });
    assert.equal((await lookup('alice'))?.username, 'Alice');
    assert.equal((await lookup('nobody', [emailAlias('ALICE@example.com')]))?.username, 'Alice');
    assert.equal((await lookup('nobody', [], user.sub))?.username, 'Alice');
    assert.equal(await lookup('nobody', [emailAlias('bob@example.com')]), undefined);

    const again = userRecord(pool.id, 'ALICE');
    assert.deepEqual(await store.insertUser({ user: again, aliases: [], messages: [] }), { kind: 'username-exists' });
    const bob = userRecord(pool.id, 'bob', { email: 'alice@example.com' });
    assert.deepEqual(await store.insertUser({ user: bob, aliases: [emailAlias('alice@example.com')], messages: [message(pool.id, 'bob')] }), {
      kind: 'alias-exists',
      attribute: 'email',
    });
    assert.equal(await store.getUser(pool.id, 'bob'), undefined, 'a refused insert left a user behind');
    assert.deepEqual((await store.listOutbox({ poolId: pool.id })).map((m) => m.username), ['Alice'], 'a refused insert left a message behind');
    assert.equal((await peek(store, pool.id, 'alice')).code?.digest, 'digest-1');
  });

  it('pages and filters users', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const names = ['dora', 'carl', 'anna', 'bert', 'emil'];
    for (const name of names) await store.insertUser({ user: userRecord(pool.id, name, { email: `${name}@${name < 'c' ? 'a' : 'b'}.org` }), aliases: [], messages: [] });
    await store.setUserEnabled(pool.id, 'carl', false, T0 + 7);
    await store.confirmSignUp(confirmRequest(pool.id, 'emil'));

    const pages = await allPages((cursor) => store.listUsers(pool.id, 2, cursor));
    assert.deepEqual(pages.map((p) => p.map((u) => u.username)), [['anna', 'bert'], ['carl', 'dora'], ['emil']]);
    const filtered = async (attribute: string, value: string, prefix = false) =>
      (await store.listUsers(pool.id, 60, undefined, { attribute, value, prefix })).items.map((u) => u.username);
    assert.deepEqual(await filtered('email', 'bert@a.org'), ['bert']);
    assert.deepEqual(await filtered('email', 'd', true), ['dora']);
    assert.deepEqual(await filtered('email', '@b.org'), []);
    assert.deepEqual(await filtered('username', 'c', true), ['carl']);
    assert.deepEqual(await filtered('status', 'Disabled'), ['carl']);
    assert.deepEqual(await filtered('status', 'Enabled'), ['anna', 'bert', 'dora', 'emil']);
    assert.deepEqual(await filtered('cognito:user_status', 'CONFIRMED'), ['emil']);
    assert.deepEqual(await filtered("x') OR 1=1 --", 'a', true), []);
    const carl = (await store.getUser(pool.id, 'carl'))!;
    assert.equal(carl.enabled, false);
    assert.equal(carl.updatedAt, T0 + 7);
    assert.equal(await store.setUserEnabled(pool.id, 'nobody', true, T0), false);
  });

  it('deletes a user with its alias, code and attempts', async () => {
    const { pool, user } = await newPoolWithUser(store, 'gone');
    const alias = emailAlias(user.attributes.email!);
    await store.confirmSignUp(confirmRequest(pool.id, 'gone', { judge: wrongCode }));
    await store.confirmSignUp(confirmRequest(pool.id, 'gone', { judge: confirmIfUnconfirmed([alias]) }));
    assert.equal(await store.deleteUser(pool.id, 'gone'), true);
    assert.equal(await store.findUser(pool.id, { usernameKey: 'x', aliases: [alias], sub: user.sub }), undefined);
    assert.equal(await store.deleteUser(pool.id, 'gone'), false);
    const reborn = userRecord(pool.id, 'gone');
    assert.deepEqual(await store.insertUser({ user: reborn, aliases: [alias], messages: [] }), { kind: 'created' });
    const state = await peek(store, pool.id, 'gone');
    assert.equal(state.attemptsInWindow, 0, 'attempts of the deleted user carried over');
    assert.equal(state.code, undefined, 'the code of the deleted user carried over');
  });

  // Found by test/fuzz: a DeleteUserPool while SignUp hashed the password made the insert fail its foreign key (a 500).
  it('answers inserts into a pool deleted meanwhile with a result, not a constraint error', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    assert.equal(await second.deleteUserPool(pool.id), true);
    const user = userRecord(pool.id, 'late');
    assert.deepEqual(await store.insertUser({ user, aliases: [emailAlias(user.attributes.email!)], code: code(), messages: [message(pool.id, 'late')] }), {
      kind: 'pool-not-found',
    });
    const client = { clientId: unique('client'), poolId: pool.id, name: 'late', settings: {}, secrets: [{ id: unique('s'), sealed: 'x', createdAt: T0 }], createdAt: T0, updatedAt: T0 };
    assert.equal(await store.createClient(client), false);
    assert.equal(await store.getClient(client.clientId), undefined);
    assert.deepEqual(await store.listOutbox({ poolId: pool.id }), [], 'a refused insert left a message behind');
  });

  // Found by test/fuzz: PostgreSQL refuses a text parameter holding U+0000, which made these lookups 500s.
  it('finds no user by a filter value holding NUL, which no stored value can', async () => {
    const { pool } = await newPoolWithUser(store, 'nul');
    assert.deepEqual(await store.listUsers(pool.id, 10, undefined, { attribute: 'email', value: 'nul\u0000', prefix: false }), { items: [] });
    assert.deepEqual(await store.listUsers(pool.id, 10, undefined, { attribute: 'name', value: '\u0000', prefix: true }), { items: [] });
  });

  it('keeps pools isolated: same usernames, aliases and attempts never cross', async () => {
    const a = poolRecord();
    const b = poolRecord();
    await store.createUserPool(a);
    await store.createUserPool(b);
    const alias = emailAlias('same@example.com');
    for (const pool of [a, b]) {
      const user = userRecord(pool.id, 'same', { email: 'same@example.com', marker: pool.id });
      assert.deepEqual(await store.insertUser({ user, aliases: [alias], code: code(`digest-${pool.id}`), messages: [message(pool.id, 'same')] }), { kind: 'created' });
      await store.createClient({ clientId: unique('client'), poolId: pool.id, name: 'c', settings: {}, secrets: [], createdAt: T0, updatedAt: T0 });
    }
    for (let i = 0; i < 3; i++) await store.confirmSignUp(confirmRequest(a.id, 'same', { judge: wrongCode }));
    await store.confirmSignUp(confirmRequest(a.id, 'same'));

    const inB = (await store.findUser(b.id, { usernameKey: 'x', aliases: [alias], sub: 'x' }))!;
    assert.equal(inB.attributes.marker, b.id);
    assert.equal(inB.status, 'UNCONFIRMED');
    const stateB = await peek(store, b.id, 'same');
    assert.equal(stateB.attemptsInWindow, 0);
    assert.equal(stateB.code?.digest, `digest-${b.id}`);
    assert.deepEqual((await store.listUsers(b.id, 10)).items.map((u) => u.attributes.marker), [b.id]);
    assert.deepEqual((await store.listClients(b.id, 10)).items.map((c) => c.poolId), [b.id]);
    assert.deepEqual((await store.listOutbox({ poolId: b.id })).map((m) => m.poolId), [b.id]);
    assert.deepEqual((await store.listOutbox({ poolId: b.id, username: 'same' })).length, 1);

    assert.equal(await store.deleteUserPool(a.id), true);
    assert.equal(await store.getUser(a.id, 'same'), undefined);
    assert.equal((await store.getUser(b.id, 'same'))?.attributes.marker, b.id);
    assert.equal((await store.listClients(b.id, 10)).items.length, 1);
  });

  it('confirmSignUp counts refusals only when told, within the window, and reports unknown users', async () => {
    const { pool } = await newPoolWithUser(store, 'counted');
    assert.deepEqual(await store.confirmSignUp(confirmRequest(pool.id, 'nobody')), { kind: 'not-found' });
    const refused = await store.confirmSignUp(confirmRequest(pool.id, 'counted', { judge: wrongCode }));
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.kind === 'refused' && refused.reason, 'mismatch');
    await store.confirmSignUp(confirmRequest(pool.id, 'counted', { now: T0 + 2000, judge: () => ({ kind: 'refuse', reason: 'limited', countAttempt: false }) }));
    await store.confirmSignUp(confirmRequest(pool.id, 'counted', { now: T0 + 3000, judge: wrongCode }));
    const state = await peek(store, pool.id, 'counted');
    assert.equal(state.attemptsInWindow, 2);
    assert.deepEqual(state.code, code());
    assert.equal(state.user.status, 'UNCONFIRMED');
    assert.equal((await peek(store, pool.id, 'counted', T0 + 1500)).attemptsInWindow, 1, 'an attempt outside the window was counted');
  });

  it('confirmSignUp confirms once: verifies, activates aliases, consumes the code, then guards the status', async () => {
    const { pool, user } = await newPoolWithUser(store, 'Confirm.Me');
    const alias = emailAlias(user.attributes.email!);
    const session = { digest: unique('session'), poolId: pool.id, usernameKey: 'confirm.me', clientId: 'c', expiresAt: T0 + 180_000 };
    const result = await store.confirmSignUp(confirmRequest(pool.id, 'confirm.me', { judge: confirmIfUnconfirmed([alias]), session }));
    assert.equal(result.kind, 'confirmed');
    const stored = (await store.getUser(pool.id, 'confirm.me'))!;
    assert.equal(stored.status, 'CONFIRMED');
    assert.equal(stored.attributes.email_verified, 'true');
    assert.equal(stored.updatedAt, T0 + 1000);
    assert.deepEqual(result.kind === 'confirmed' && result.user, stored);
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [alias], sub: 'x' }))?.username, 'Confirm.Me');
    const after = await peek(store, pool.id, 'confirm.me');
    assert.equal(after.code, undefined, 'the code was not consumed');
    assert.equal(after.attemptsInWindow, 1);
    const confirmAnyway = (): ConfirmJudgement => ({ kind: 'confirm', countAttempt: false, verify: null, aliases: [] });
    const again = await store.confirmSignUp(confirmRequest(pool.id, 'confirm.me', { judge: confirmAnyway }));
    assert.equal(again.kind, 'refused', 'a confirmed user was confirmed a second time');
    assert.equal(again.kind === 'refused' && again.reason, 'status');

    const { pool: p2 } = await newPoolWithUser(store, 'keeps');
    await store.confirmSignUp(confirmRequest(p2.id, 'keeps', { consumeCode: false, judge: () => ({ kind: 'confirm', countAttempt: false, verify: null, aliases: [] }) }));
    const kept = await peek(store, p2.id, 'keeps');
    assert.deepEqual(kept.code, code(), 'AdminConfirmSignUp-style confirmation consumed the code');
    assert.equal(kept.user.attributes.email_verified, undefined);
  });

  it('confirmSignUp refuses an alias held by another user unless forced, then moves it and unverifies the owner', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const alias = emailAlias('shared@example.com');
    for (const name of ['first', 'second']) {
      await store.insertUser({ user: userRecord(pool.id, name, { email: 'shared@example.com' }), aliases: [], code: code(), messages: [] });
    }
    assert.equal((await store.confirmSignUp(confirmRequest(pool.id, 'first', { judge: confirmIfUnconfirmed([alias]) }))).kind, 'confirmed');
    const conflict = await store.confirmSignUp(confirmRequest(pool.id, 'second', { judge: confirmIfUnconfirmed([alias]) }));
    assert.deepEqual(conflict.kind === 'alias-conflict' && conflict.attribute, 'email');
    const blocked = await peek(store, pool.id, 'second');
    assert.equal(blocked.user.status, 'UNCONFIRMED');
    assert.ok(blocked.code, 'a refused confirmation consumed the code');
    assert.equal(blocked.attemptsInWindow, 1, 'the valid-code attempt before the conflict was not counted');

    const forced = await store.confirmSignUp(confirmRequest(pool.id, 'second', { forceAliasCreation: true, judge: confirmIfUnconfirmed([alias]) }));
    assert.equal(forced.kind, 'confirmed');
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [alias], sub: 'x' }))?.username, 'second');
    const previous = (await store.getUser(pool.id, 'first'))!;
    assert.equal(previous.attributes.email_verified, 'false');
    assert.equal(previous.status, 'CONFIRMED');
    assert.equal((await store.getUser(pool.id, 'second'))!.attributes.email_verified, 'true');
  });

  it('reissueSignUpCode replaces the code, queues the message and holds the resend limit', async () => {
    const { pool } = await newPoolWithUser(store, 'resend');
    const request = (i: number) => ({
      poolId: pool.id, usernameKey: 'resend', now: T0 + i, windowStart: T0 - HOUR, limit: 2,
      code: code(`digest-r${i}`), messages: [message(pool.id, 'resend', T0 + i)],
    });
    assert.deepEqual(await store.reissueSignUpCode({ ...request(1), usernameKey: 'nobody' }), { kind: 'not-found' });
    assert.equal((await store.reissueSignUpCode(request(1))).kind, 'issued');
    assert.equal((await peek(store, pool.id, 'resend')).code?.digest, 'digest-r1');
    assert.equal((await store.reissueSignUpCode(request(2))).kind, 'issued');
    assert.deepEqual(await store.reissueSignUpCode(request(3)), { kind: 'limited' });
    assert.equal((await peek(store, pool.id, 'resend')).code?.digest, 'digest-r2', 'a limited resend replaced the code');
    assert.equal((await store.listOutbox({ poolId: pool.id, username: 'resend' })).length, 2);
    assert.equal((await store.reissueSignUpCode({ ...request(4), windowStart: T0 + 3 })).kind, 'issued', 'old resends still counted');

    await store.confirmSignUp(confirmRequest(pool.id, 'resend'));
    const confirmed = await store.reissueSignUpCode({ ...request(5), windowStart: T0 + 100 });
    assert.equal(confirmed.kind, 'not-unconfirmed');
  });

  it('reinviteUser replaces the temporary password and queues the invitation only while FORCE_CHANGE_PASSWORD', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const invited = { ...userRecord(pool.id, 'invited'), status: 'FORCE_CHANGE_PASSWORD' as const, passwordHash: '$argon2id$first' };
    await store.insertUser({ user: invited, aliases: [], messages: [] });
    await store.insertUser({ user: userRecord(pool.id, 'signed-up'), aliases: [], messages: [] });
    const request = (usernameKey: string) => ({ poolId: pool.id, usernameKey, now: T0 + 500, passwordHash: '$argon2id$second', messages: [message(pool.id, usernameKey, T0 + 500)] });

    assert.deepEqual(await store.reinviteUser(request('nobody')), { kind: 'not-found' });
    const done = await store.reinviteUser(request('invited'));
    assert.equal(done.kind, 'reinvited');
    const stored = (await store.getUser(pool.id, 'invited'))!;
    assert.deepEqual([stored.passwordHash, stored.updatedAt, stored.status], ['$argon2id$second', T0 + 500, 'FORCE_CHANGE_PASSWORD']);
    assert.deepEqual(done.kind === 'reinvited' && done.user, stored);

    const refused = await store.reinviteUser(request('signed-up'));
    assert.deepEqual(refused.kind === 'not-invited' && refused.user.status, 'UNCONFIRMED');
    assert.equal((await store.getUser(pool.id, 'signed-up'))!.passwordHash, '$argon2id$fake', 'a refused reinvitation changed the password');
    assert.deepEqual((await store.listOutbox({ poolId: pool.id })).map((m) => m.username), ['invited'], 'a refused reinvitation queued a message');
  });

  it('a stand-in for an unknown user is judged and counted under its key, and nothing is created', async () => {
    const { pool } = await newPoolWithUser(store, 'real');
    const standIn = { user: userRecord(pool.id, 'ghost'), code: code('unmatchable') };
    let judged: ConfirmState | undefined;
    const result = await store.confirmSignUp(
      confirmRequest(pool.id, 'ghost', {
        standIn,
        judge: (state) => {
          judged = state;
          return wrongCode();
        },
      }),
    );
    assert.deepEqual(result, { kind: 'refused', reason: 'mismatch', user: standIn.user });
    assert.deepEqual(judged, { user: standIn.user, code: standIn.code, attemptsInWindow: 0 });
    assert.deepEqual(await second.confirmSignUp(confirmRequest(pool.id, 'ghost', { judge: wrongCode })), { kind: 'not-found' }, 'without a stand-in there is no user');
    const again = await store.confirmSignUp(confirmRequest(pool.id, 'ghost', { standIn, judge: (state) => ({ kind: 'refuse', reason: `seen ${state.attemptsInWindow}`, countAttempt: false }) }));
    assert.equal(again.kind === 'refused' && again.reason, 'seen 1', 'the attempt was counted under the unknown key');
    // Even a judge that says "confirm" cannot make a stand-in into a user.
    assert.deepEqual(await store.confirmSignUp(confirmRequest(pool.id, 'ghost', { standIn })), { kind: 'not-found' });
    assert.equal(await store.getUser(pool.id, 'ghost'), undefined);
  });

  describe('under concurrency, across two instances', () => {
    it('20 simultaneous confirmations of one user: exactly one confirms', async () => {
      const { pool } = await newPoolWithUser(store, 'race');
      const results = await spread(store, second, 20, (s) => s.confirmSignUp(confirmRequest(pool.id, 'race')));
      assert.equal(count(results, (r) => r.kind === 'confirmed'), 1, JSON.stringify(results.map((r) => r.kind)));
      assert.equal(count(results, (r) => r.kind === 'refused' && r.reason === 'status'), 19);
      assert.equal((await peek(store, pool.id, 'race')).attemptsInWindow, 1);
    });

    it('30 simultaneous wrong codes: every attempt is counted', async () => {
      const { pool } = await newPoolWithUser(store, 'guess');
      const results = await spread(store, second, 30, (s, i) => s.confirmSignUp(confirmRequest(pool.id, 'guess', { now: T0 + 1000 + i, judge: wrongCode })));
      assert.ok(results.every((r) => r.kind === 'refused'));
      assert.equal((await peek(second, pool.id, 'guess')).attemptsInWindow, 30);
    });

    it('the limit decided under the lock holds: of 20 racing wrong codes with a limit of 15, 5 are refused as limited', async () => {
      const { pool } = await newPoolWithUser(store, 'limit');
      const judge = (state: ConfirmState): ConfirmJudgement =>
        state.attemptsInWindow >= 15 ? { kind: 'refuse', reason: 'limited', countAttempt: false } : wrongCode();
      const results = await spread(store, second, 20, (s) => s.confirmSignUp(confirmRequest(pool.id, 'limit', { judge })));
      const reasons = results.map((r) => (r.kind === 'refused' ? r.reason : r.kind));
      assert.equal(count(reasons, (r) => r === 'mismatch'), 15, reasons.join(','));
      assert.equal(count(reasons, (r) => r === 'limited'), 5);
    });

    it('simultaneous sign-ups with one username: exactly one user', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const results = await spread(store, second, 20, (s, i) => s.insertUser({ user: userRecord(pool.id, 'Twin', { n: String(i) }), aliases: [], code: code(), messages: [message(pool.id, 'Twin')] }));
      assert.equal(count(results, (r) => r.kind === 'created'), 1, JSON.stringify(results));
      assert.equal(count(results, (r) => r.kind === 'username-exists'), 19);
      assert.equal((await store.listUsers(pool.id, 60)).items.length, 1);
      assert.equal((await store.listOutbox({ poolId: pool.id })).length, 1, 'a refused sign-up queued a message');
    });

    it('simultaneous sign-ups claiming one alias value: exactly one holds it', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const alias = emailAlias('one@example.com');
      const results = await spread(store, second, 12, (s, i) => s.insertUser({ user: userRecord(pool.id, `owner${i}`, { email: 'one@example.com' }), aliases: [alias], messages: [] }));
      assert.equal(count(results, (r) => r.kind === 'created'), 1, JSON.stringify(results));
      assert.equal(count(results, (r) => r.kind === 'alias-exists'), 11);
      assert.equal((await store.listUsers(pool.id, 60)).items.length, 1);
    });

    it('simultaneous confirmations moving one alias: it ends with exactly one user, the only one verified', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const alias = emailAlias('moving@example.com');
      const names = Array.from({ length: 8 }, (_, i) => `mover${i}`);
      for (const name of names) await store.insertUser({ user: userRecord(pool.id, name, { email: 'moving@example.com' }), aliases: [], code: code(), messages: [] });
      const forced = await spread(store, second, 8, (s, i) => s.confirmSignUp(confirmRequest(pool.id, names[i]!, { forceAliasCreation: true, judge: confirmIfUnconfirmed([alias]) })));
      assert.ok(forced.every((r) => r.kind === 'confirmed'), JSON.stringify(forced.map((r) => r.kind)));
      const owner = (await store.findUser(pool.id, { usernameKey: 'x', aliases: [alias], sub: 'x' }))!;
      const users = (await store.listUsers(pool.id, 60)).items;
      assert.deepEqual(users.filter((u) => u.attributes.email_verified === 'true').map((u) => u.username), [owner.username]);

      const pool2 = poolRecord();
      await store.createUserPool(pool2);
      for (const name of names) await store.insertUser({ user: userRecord(pool2.id, name, { email: 'moving@example.com' }), aliases: [], code: code(), messages: [] });
      const polite = await spread(store, second, 8, (s, i) => s.confirmSignUp(confirmRequest(pool2.id, names[i]!, { judge: confirmIfUnconfirmed([alias]) })));
      assert.equal(count(polite, (r) => r.kind === 'confirmed'), 1, JSON.stringify(polite.map((r) => r.kind)));
      assert.equal(count(polite, (r) => r.kind === 'alias-conflict'), 7);
    });

    it('simultaneous resends: the limit holds', async () => {
      const { pool } = await newPoolWithUser(store, 'spam');
      const results = await spread(store, second, 12, (s, i) =>
        s.reissueSignUpCode({ poolId: pool.id, usernameKey: 'spam', now: T0 + i, windowStart: T0 - HOUR, limit: 5, code: code(`d${i}`), messages: [message(pool.id, 'spam')] }),
      );
      assert.equal(count(results, (r) => r.kind === 'issued'), 5);
      assert.equal((await store.listOutbox({ poolId: pool.id })).length, 5);
    });
  });
});
