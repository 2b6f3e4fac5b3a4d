/**
 * @module The store contract: one suite that every backend must pass unchanged — CRUD, cursors,
 * pool isolation, the ConfirmSignUp transaction, resend limits, the outbox lease, and races
 * between two store instances on one database (the shape of several server instances).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AliasClaim, OutboxMessage, PoolRecord, UserRecord } from '../../src/domain/records.ts';
import type { ConfirmJudgement, ConfirmRequest, ConfirmState, Store } from '../../src/store/store.ts';

export interface StoreHarness {
  /** Opens one more store instance on the same database. */
  open(): Promise<Store>;
  /** Removes the database once every store opened here is closed. */
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  skip?: string | false;
}

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const run = randomBytes(3).toString('hex');
let seq = 0;
const unique = (prefix: string) => `${prefix}${run}${String(++seq).padStart(4, '0')}`;

function poolRecord(id = unique('us-east-1_p')): PoolRecord {
  return {
    id,
    name: `pool-${id}`,
    // Key order is part of what must come back: settings are returned as the API took them.
    settings: { UsernameConfiguration: { CaseSensitive: false }, AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], Zeta: 1, Alpha: 2 },
    limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 },
    createdAt: T0,
    updatedAt: T0,
  };
}

function userRecord(poolId: string, username: string, attributes: Record<string, string> = {}): UserRecord {
  return {
    poolId,
    username,
    usernameKey: username.toLowerCase(),
    sub: `${randomBytes(8).toString('hex')}-sub`,
    status: 'UNCONFIRMED',
    enabled: true,
    attributes: { email: `${username.toLowerCase()}@example.com`, ...attributes },
    passwordHash: '$argon2id$fake',
    createdAt: T0,
    updatedAt: T0,
  };
}

const code = (digest = 'digest-1', expiresAt = T0 + 24 * HOUR) => ({ digest, deliveredTo: 'email' as const, expiresAt, createdAt: T0 });
const emailAlias = (value: string): AliasClaim => ({ attribute: 'email', valueKey: value.toLowerCase() });

function message(poolId: string, username: string, createdAt = T0): OutboxMessage {
  return { poolId, username, medium: 'EMAIL', destination: `${username}@example.com`, sealedPayload: `sealed-${username}`, createdAt };
}

/** What judgeConfirmation does, reduced to the parts the store must honour. */
const confirmIfUnconfirmed =
  (aliases: AliasClaim[] = []) =>
  (state: ConfirmState): ConfirmJudgement =>
    state.user.status !== 'UNCONFIRMED'
      ? { kind: 'refuse', reason: 'status', countAttempt: false }
      : { kind: 'confirm', countAttempt: true, verify: 'email', aliases };
const wrongCode = (): ConfirmJudgement => ({ kind: 'refuse', reason: 'mismatch', countAttempt: true });

function confirmRequest(poolId: string, usernameKey: string, overrides: Partial<ConfirmRequest> = {}): ConfirmRequest {
  return { poolId, usernameKey, now: T0 + 1000, windowStart: T0 + 1000 - HOUR, consumeCode: true, forceAliasCreation: false, judge: confirmIfUnconfirmed(), ...overrides };
}

/** Asks the store what the judge would see now, without counting anything. */
async function peek(store: Store, poolId: string, usernameKey: string, windowStart = T0 - HOUR): Promise<ConfirmState> {
  let seen: ConfirmState | undefined;
  await store.confirmSignUp(
    confirmRequest(poolId, usernameKey, {
      windowStart,
      judge: (state) => {
        seen = state;
        return { kind: 'refuse', reason: 'peek', countAttempt: false };
      },
    }),
  );
  assert.ok(seen, `user ${usernameKey} not found`);
  return seen;
}

async function newPoolWithUser(store: Store, username = unique('user'), attributes: Record<string, string> = {}) {
  const pool = poolRecord();
  assert.equal(await store.createUserPool(pool), true);
  const user = userRecord(pool.id, username, attributes);
  assert.deepEqual(await store.insertUser({ user, aliases: [], code: code(), messages: [] }), { kind: 'created' });
  return { pool, user };
}

async function allPages<T>(fetch: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const result = await fetch(cursor);
    pages.push(result.items);
    cursor = result.next;
  } while (cursor);
  return pages;
}

const count = <T>(items: T[], wanted: (item: T) => boolean) => items.filter(wanted).length;

export function storeContract(backend: string, setup: () => Promise<StoreHarness>, options: ContractOptions = {}): void {
  describe(`store contract: ${backend}`, { skip: options.skip ?? false }, () => {
    let harness: StoreHarness;
    let store: Store;
    let second: Store;

    before(async () => {
      harness = await setup();
      store = await harness.open();
      second = await harness.open();
    });
    after(async () => {
      await second?.close();
      await store?.close();
      await harness?.cleanup();
    });

    it('answers ping and keeps the first value of a meta key, also when two instances race', async () => {
      await store.ping();
      assert.equal(await store.schemaCurrent(), true, 'a freshly opened store has every migration applied');
      const key = unique('key');
      const values = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? second : store).metaGetOrSet(key, `v${i}`)));
      assert.equal(new Set(values).size, 1, `instances saw different values: ${values.join(',')}`);
      assert.equal(await store.metaGetOrSet(key, 'later'), values[0]);
    });

    it('creates, reads, updates and deletes pools, keeping settings as given', async () => {
      const pool = poolRecord();
      assert.equal(await store.createUserPool(pool), true);
      assert.equal(await store.createUserPool({ ...pool, name: 'other' }), false);
      const read = await store.getUserPool(pool.id);
      assert.deepEqual(read, pool);
      assert.equal(JSON.stringify(read?.settings), JSON.stringify(pool.settings));
      const updated = { ...pool, name: 'renamed', settings: { Beta: true }, limits: { confirmAttemptsPerHour: 3, resendAttemptsPerHour: 1 }, updatedAt: T0 + 5 };
      assert.equal(await store.updateUserPool(updated), true);
      assert.deepEqual(await second.getUserPool(pool.id), updated);
      assert.equal(await store.updateUserPool({ ...updated, id: unique('missing') }), false);
      assert.equal(await store.deleteUserPool(pool.id), true);
      assert.equal(await store.getUserPool(pool.id), undefined);
      assert.equal(await store.deleteUserPool(pool.id), false);
    });

    it('pages through pools in id order with opaque cursors', async () => {
      const ids = Array.from({ length: 5 }, () => unique('us-east-1_page'));
      for (const id of [...ids].reverse()) await store.createUserPool(poolRecord(id));
      const pages = await allPages((cursor) => store.listUserPools(2, cursor));
      const seen = pages.flat().map((p) => p.id);
      assert.ok(pages.every((p) => p.length <= 2));
      assert.equal(new Set(seen).size, seen.length, 'a pool appeared twice');
      assert.deepEqual(seen.filter((id) => ids.includes(id)), ids);
      assert.deepEqual([...seen].sort(), seen);
      await assert.rejects(store.listUserPools(2, 'not a cursor!'), { name: 'InvalidParameterException' });
    });

    it('stores clients with their secrets, pages them per pool and caps secrets atomically', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const secrets = [
        { id: unique('s'), sealed: 'sealed-b', createdAt: T0 + 2 },
        { id: unique('s'), sealed: 'sealed-a', createdAt: T0 + 1 },
      ];
      const clients = Array.from({ length: 3 }, (_, i) => ({
        clientId: unique('client'),
        poolId: pool.id,
        name: `c${i}`,
        settings: { ExplicitAuthFlows: ['ALLOW_USER_AUTH'], Zeta: i },
        secrets: i === 0 ? secrets : [],
        createdAt: T0,
        updatedAt: T0,
      }));
      for (const client of clients) assert.equal(await store.createClient(client), true);
      assert.equal(await store.createClient(clients[0]!), false);
      const read = await second.getClient(clients[0]!.clientId);
      assert.deepEqual(read, { ...clients[0], secrets: [secrets[1], secrets[0]] });
      assert.equal(await store.getClient(unique('none')), undefined);

      const pages = await allPages((cursor) => store.listClients(pool.id, 2, cursor));
      assert.deepEqual(pages.map((p) => p.length), [2, 1]);
      assert.deepEqual(pages.flat().map((c) => c.clientId), clients.map((c) => c.clientId).sort());

      assert.equal(await store.updateClient({ ...clients[1]!, name: 'renamed', updatedAt: T0 + 9 }), true);
      assert.equal((await store.getClient(clients[1]!.clientId))?.name, 'renamed');
      assert.equal(await store.deleteClient(unique('other-pool'), clients[1]!.clientId), false);
      assert.equal(await store.deleteClient(pool.id, clients[1]!.clientId), true);
      assert.equal(await store.getClient(clients[1]!.clientId), undefined);

      const target = clients[2]!.clientId;
      const adds = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? second : store).addClientSecret(target, { id: unique('s'), sealed: 'x', createdAt: T0 + i }, 2)),
      );
      assert.equal(count(adds, (r) => r === 'added'), 2, `results: ${adds.join(',')}`);
      assert.equal(count(adds, (r) => r === 'limit'), 8);
      assert.equal(await store.addClientSecret(unique('none'), { id: unique('s'), sealed: 'x', createdAt: T0 }, 2), 'not-found');
      const held = (await store.getClient(target))!.secrets;
      assert.equal(held.length, 2);
      assert.equal(await store.deleteClientSecret(target, held[0]!.id), true);
      assert.equal(await store.deleteClientSecret(target, held[0]!.id), false);
      assert.equal(await store.addClientSecret(target, { id: unique('s'), sealed: 'y', createdAt: T0 }, 2), 'added');
    });

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
    it('finds nothing by a value holding NUL, which no stored value can', async () => {
      const { pool } = await newPoolWithUser(store, 'nul');
      assert.equal(await store.deleteClientSecret(unique('client'), 'x\u0000'), false);
      assert.deepEqual(await store.listUsers(pool.id, 10, undefined, { attribute: 'email', value: 'nul\u0000', prefix: false }), { items: [] });
      assert.deepEqual(await store.listUsers(pool.id, 10, undefined, { attribute: 'name', value: '\u0000', prefix: true }), { items: [] });
      assert.deepEqual(await store.listOutbox({ username: 'nul\u0000' }), []);
      assert.deepEqual(await store.listOutbox({ poolId: pool.id, username: '\u0000' }), []);
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

    it('leases outbox messages, lets an expired lease be taken again, and records the outcome', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const pendingBefore = await store.outboxPending();
      const base = T0 + 10 * HOUR;
      for (const [i, name] of ['m1', 'm2', 'm3', 'm4'].entries()) await store.insertUser({ user: userRecord(pool.id, name), aliases: [], messages: [message(pool.id, name, base + i)] });
      const ours = <T extends { poolId: string }>(rows: T[]) => rows.filter((r) => r.poolId === pool.id);
      assert.deepEqual(ours(await store.claimOutbox(base - 1, 1000, 60_000)), [], 'a message was claimed before it was due');

      const claimed = ours(await store.claimOutbox(base + 10, 1000, 60_000));
      assert.deepEqual(claimed.map((m) => m.username), ['m1', 'm2', 'm3', 'm4']);
      assert.ok(claimed.every((m) => m.status === 'sending' && m.attempts === 1 && m.sealedPayload === `sealed-${m.username}`));
      assert.deepEqual(ours(await second.claimOutbox(base + 20, 1000, 60_000)), [], 'a leased message was claimed again');

      const [m1, m2, m3] = claimed;
      await store.markOutboxSent(m1!.id, base + 30);
      await store.markOutboxFailed(m2!.id, 'smtp said no', base + 5 * 60_000);
      await store.markOutboxFailed(m3!.id, 'gave up', null);
      const rows = await store.listOutbox({ poolId: pool.id });
      assert.deepEqual(rows.map((r) => [r.username, r.status]), [['m1', 'sent'], ['m2', 'pending'], ['m3', 'failed'], ['m4', 'sending']]);
      assert.equal(rows[0]!.sentAt, base + 30);
      assert.equal(rows[1]!.lastError, 'smtp said no');
      assert.equal(rows[1]!.nextAttemptAt, base + 5 * 60_000);
      assert.equal(rows[2]!.lastError, 'gave up');

      const expired = ours(await second.claimOutbox(base + 60_010, 1000, HOUR));
      assert.deepEqual(expired.map((m) => [m.username, m.attempts]), [['m4', 2]]);
      const retried = ours(await store.claimOutbox(base + 5 * 60_000, 1000, 60_000));
      assert.deepEqual(retried.map((m) => [m.username, m.attempts]), [['m2', 2]]);
      assert.deepEqual((await store.listOutbox({ username: 'm3' })).filter((m) => m.poolId === pool.id).length, 1);

      // m2 and m4 are still to send; sent and failed messages are not waiting.
      const pending = await second.outboxPending();
      assert.equal(pending.count - pendingBefore.count, 2);
      assert.ok(pending.oldestCreatedAt !== null && pending.oldestCreatedAt <= base + 3);
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
      const spread = <T>(n: number, call: (s: Store, i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => call(i % 2 ? second : store, i)));

      it('20 simultaneous confirmations of one user: exactly one confirms', async () => {
        const { pool } = await newPoolWithUser(store, 'race');
        const results = await spread(20, (s) => s.confirmSignUp(confirmRequest(pool.id, 'race')));
        assert.equal(count(results, (r) => r.kind === 'confirmed'), 1, JSON.stringify(results.map((r) => r.kind)));
        assert.equal(count(results, (r) => r.kind === 'refused' && r.reason === 'status'), 19);
        assert.equal((await peek(store, pool.id, 'race')).attemptsInWindow, 1);
      });

      it('30 simultaneous wrong codes: every attempt is counted', async () => {
        const { pool } = await newPoolWithUser(store, 'guess');
        const results = await spread(30, (s, i) => s.confirmSignUp(confirmRequest(pool.id, 'guess', { now: T0 + 1000 + i, judge: wrongCode })));
        assert.ok(results.every((r) => r.kind === 'refused'));
        assert.equal((await peek(second, pool.id, 'guess')).attemptsInWindow, 30);
      });

      it('the limit decided under the lock holds: of 20 racing wrong codes with a limit of 15, 5 are refused as limited', async () => {
        const { pool } = await newPoolWithUser(store, 'limit');
        const judge = (state: ConfirmState): ConfirmJudgement =>
          state.attemptsInWindow >= 15 ? { kind: 'refuse', reason: 'limited', countAttempt: false } : wrongCode();
        const results = await spread(20, (s) => s.confirmSignUp(confirmRequest(pool.id, 'limit', { judge })));
        const reasons = results.map((r) => (r.kind === 'refused' ? r.reason : r.kind));
        assert.equal(count(reasons, (r) => r === 'mismatch'), 15, reasons.join(','));
        assert.equal(count(reasons, (r) => r === 'limited'), 5);
      });

      it('simultaneous sign-ups with one username: exactly one user', async () => {
        const pool = poolRecord();
        await store.createUserPool(pool);
        const results = await spread(20, (s, i) => s.insertUser({ user: userRecord(pool.id, 'Twin', { n: String(i) }), aliases: [], code: code(), messages: [message(pool.id, 'Twin')] }));
        assert.equal(count(results, (r) => r.kind === 'created'), 1, JSON.stringify(results));
        assert.equal(count(results, (r) => r.kind === 'username-exists'), 19);
        assert.equal((await store.listUsers(pool.id, 60)).items.length, 1);
        assert.equal((await store.listOutbox({ poolId: pool.id })).length, 1, 'a refused sign-up queued a message');
      });

      it('simultaneous sign-ups claiming one alias value: exactly one holds it', async () => {
        const pool = poolRecord();
        await store.createUserPool(pool);
        const alias = emailAlias('one@example.com');
        const results = await spread(12, (s, i) => s.insertUser({ user: userRecord(pool.id, `owner${i}`, { email: 'one@example.com' }), aliases: [alias], messages: [] }));
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
        const forced = await spread(8, (s, i) => s.confirmSignUp(confirmRequest(pool.id, names[i]!, { forceAliasCreation: true, judge: confirmIfUnconfirmed([alias]) })));
        assert.ok(forced.every((r) => r.kind === 'confirmed'), JSON.stringify(forced.map((r) => r.kind)));
        const owner = (await store.findUser(pool.id, { usernameKey: 'x', aliases: [alias], sub: 'x' }))!;
        const users = (await store.listUsers(pool.id, 60)).items;
        assert.deepEqual(users.filter((u) => u.attributes.email_verified === 'true').map((u) => u.username), [owner.username]);

        const pool2 = poolRecord();
        await store.createUserPool(pool2);
        for (const name of names) await store.insertUser({ user: userRecord(pool2.id, name, { email: 'moving@example.com' }), aliases: [], code: code(), messages: [] });
        const polite = await spread(8, (s, i) => s.confirmSignUp(confirmRequest(pool2.id, names[i]!, { judge: confirmIfUnconfirmed([alias]) })));
        assert.equal(count(polite, (r) => r.kind === 'confirmed'), 1, JSON.stringify(polite.map((r) => r.kind)));
        assert.equal(count(polite, (r) => r.kind === 'alias-conflict'), 7);
      });

      it('simultaneous resends: the limit holds', async () => {
        const { pool } = await newPoolWithUser(store, 'spam');
        const results = await spread(12, (s, i) =>
          s.reissueSignUpCode({ poolId: pool.id, usernameKey: 'spam', now: T0 + i, windowStart: T0 - HOUR, limit: 5, code: code(`d${i}`), messages: [message(pool.id, 'spam')] }),
        );
        assert.equal(count(results, (r) => r.kind === 'issued'), 5);
        assert.equal((await store.listOutbox({ poolId: pool.id })).length, 5);
      });

      it('two instances draining the outbox claim each message exactly once', async () => {
        const pool = poolRecord();
        await store.createUserPool(pool);
        const when = T0 + 100 * HOUR;
        for (let i = 0; i < 40; i++) await store.insertUser({ user: userRecord(pool.id, `mail${i}`), aliases: [], messages: [message(pool.id, `mail${i}`, when)] });
        const drain = async (s: Store) => {
          const ids: number[] = [];
          for (;;) {
            const batch = await s.claimOutbox(when + 1, 3, HOUR);
            if (batch.length === 0) return ids;
            ids.push(...batch.filter((m) => m.poolId === pool.id).map((m) => m.id));
          }
        };
        const [a, b, c, d] = await Promise.all([drain(store), drain(second), drain(store), drain(second)]);
        const all = [...a!, ...b!, ...c!, ...d!];
        assert.equal(all.length, 40, `claimed ${all.length} times`);
        assert.equal(new Set(all).size, 40, 'a message was claimed twice');
      });
    });

    it('wipe removes every pool, user and message but keeps meta', async () => {
      const { pool } = await newPoolWithUser(store, 'wiped');
      const key = unique('kept');
      await store.metaGetOrSet(key, 'value');
      await store.insertUser({ user: userRecord(pool.id, 'mailed'), aliases: [], messages: [message(pool.id, 'mailed')] });
      await store.wipe();
      assert.equal(await second.getUserPool(pool.id), undefined);
      assert.deepEqual((await second.listUserPools(10)).items, []);
      assert.deepEqual(await second.listOutbox({}), []);
      assert.equal(await second.metaGetOrSet(key, 'other'), 'value');
      assert.equal(await store.createUserPool(pool), true);
      assert.deepEqual(await store.insertUser({ user: userRecord(pool.id, 'wiped'), aliases: [], messages: [] }), { kind: 'created' });
    });
  });
}
