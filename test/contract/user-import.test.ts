/**
 * @module The store contract for the bulk import on every backend: imported users are stored as
 * insertUser stores them and found by username, alias and sub; pages list them; taken usernames,
 * subs and aliases (stored or earlier in the import) are skipped and reported; chunk boundaries lose nothing.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { UserRecord } from '../../src/domain/records.ts';
import { IMPORT_CHUNK_SIZE, type ImportedUser } from '../../src/store/user-store.ts';
import { forEachBackend } from './backends.ts';
import { allPages, emailAlias, poolRecord, T0, userRecord } from './fixtures.ts';

const confirmed = (poolId: string, name: string): UserRecord => ({
  ...userRecord(poolId, name, { email_verified: 'true' }),
  status: 'CONFIRMED',
  passwordHash: '$argon2id$shared',
});
const entry = (user: UserRecord): ImportedUser => ({ user, aliases: [emailAlias(user.attributes.email!)] });

forEachBackend('user import', (store, second) => {
  it('stores imported users as insertUser does and finds them by username, alias and sub', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const viaInsert = confirmed(pool.id, 'Inserted');
    assert.deepEqual(await store.insertUser({ ...entry(viaInsert), messages: [] }), { kind: 'created' });
    const viaImport = { ...confirmed(pool.id, 'Imported'), attributes: { email: 'Imported@Example.com', email_verified: 'true', 'custom:n': '1' } };
    const srp = { salt: 'ab12', sealedVerifier: 'sealed-verifier' };
    assert.deepEqual(await store.importUsers(pool.id, [{ ...entry(viaImport), srp, passwordSetAt: T0 + 5 }]), { kind: 'imported', imported: 1, skipped: [] });

    assert.deepEqual(await second.getUser(pool.id, 'imported'), { ...viaImport, confirmedAt: T0 });
    // The same columns as a user SignUp created: both read back alike but for the fields that differ by input.
    const inserted = (await store.getUser(pool.id, 'inserted'))!;
    const imported = (await store.getUser(pool.id, 'imported'))!;
    assert.deepEqual(Object.keys(imported).sort(), Object.keys(inserted).sort());
    const credentials = await store.getCredentials(pool.id, 'imported');
    assert.deepEqual(credentials?.srp, srp);
    assert.equal(credentials?.passwordSetAt, T0 + 5);
    assert.equal(credentials?.passwordHash, '$argon2id$shared');
    assert.equal((await store.getCredentials(pool.id, 'inserted'))?.passwordSetAt, T0, 'passwordSetAt defaults to createdAt for both');

    const find = (usernameKey: string, aliases = [] as ReturnType<typeof emailAlias>[], sub = 'no-such-sub') => store.findUser(pool.id, { usernameKey, aliases, sub });
    assert.equal((await find('imported'))?.username, 'Imported');
    assert.equal((await find('nobody', [emailAlias('IMPORTED@example.com')]))?.username, 'Imported');
    assert.equal((await find('nobody', [], viaImport.sub))?.username, 'Imported');
    assert.equal(await store.countUsers(pool.id), 2);
  });

  it('skips and reports users whose username, sub or alias is taken, stored or earlier in the import', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const stored = confirmed(pool.id, 'stored');
    await store.insertUser({ ...entry(stored), messages: [] });
    const fresh = confirmed(pool.id, 'fresh');
    const users: ImportedUser[] = [
      entry({ ...confirmed(pool.id, 'STORED'), attributes: { email: 'other@example.com' } }),
      entry({ ...confirmed(pool.id, 'samesub'), sub: stored.sub }),
      entry({ ...confirmed(pool.id, 'thief'), attributes: { email: 'Stored@example.com' } }),
      entry(fresh),
      entry({ ...confirmed(pool.id, 'Fresh'), attributes: { email: 'second@example.com' } }),
      entry({ ...confirmed(pool.id, 'copycat'), attributes: { email: 'fresh@example.com' } }),
    ];
    const result = await store.importUsers(pool.id, users);
    assert.deepEqual(result, {
      kind: 'imported',
      imported: 1,
      skipped: [
        { username: 'STORED', reason: 'username-exists' },
        { username: 'samesub', reason: 'username-exists' },
        { username: 'thief', reason: 'alias-exists', attribute: 'email' },
        { username: 'Fresh', reason: 'username-exists' },
        { username: 'copycat', reason: 'alias-exists', attribute: 'email' },
      ],
    });
    assert.equal((await store.getUser(pool.id, 'stored'))?.sub, stored.sub, 'the stored user was left as it was');
    assert.equal((await store.getUser(pool.id, 'fresh'))?.sub, fresh.sub);
    for (const name of ['samesub', 'thief', 'copycat']) assert.equal(await store.getUser(pool.id, name), undefined, `${name} was written`);
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [emailAlias('other@example.com')], sub: '' })), undefined, 'a skipped user left its alias');
    assert.equal(await store.countUsers(pool.id), 2);
  });

  it('imports every user across chunk boundaries, from a lazy iterable, and pages them', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const total = Math.floor(IMPORT_CHUNK_SIZE * 2.5) + 3;
    const name = (i: number) => `bulk-${String(i).padStart(5, '0')}`;
    function* generate(): Generator<ImportedUser> {
      for (let i = 0; i < total; i++) yield entry(confirmed(pool.id, name(i)));
    }
    assert.deepEqual(await store.importUsers(pool.id, generate()), { kind: 'imported', imported: total, skipped: [] });
    assert.equal(await second.countUsers(pool.id), total);
    const pages = await allPages((cursor) => store.listUsers(pool.id, 60, cursor));
    const listed = pages.flat().map((user) => user.username);
    assert.deepEqual(listed, Array.from({ length: total }, (_, i) => name(i)));
    const last = name(total - 1);
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [emailAlias(`${last}@example.com`)], sub: '' }))?.username, last);
    const filtered = await store.listUsers(pool.id, 60, undefined, { attribute: 'email', value: 'bulk-0100', prefix: true });
    assert.deepEqual(filtered.items.map((user) => user.username), Array.from({ length: 10 }, (_, i) => name(1000 + i)));

    // A second run of the same users writes nothing and names each one.
    const again = await store.importUsers(pool.id, generate());
    assert.equal(again.kind === 'imported' && again.imported, 0);
    assert.equal(again.kind === 'imported' && again.skipped.length, total);
  });

  it('answers pool-not-found for a pool that does not exist', async () => {
    const user = confirmed('us-east-1_nosuchpool', 'ghost');
    assert.deepEqual(await store.importUsers('us-east-1_nosuchpool', [entry(user)]), { kind: 'pool-not-found' });
    await assert.rejects(() => store.importUsers('us-east-1_other', [entry(user)]), /given a user of pool/u);
  });
});
