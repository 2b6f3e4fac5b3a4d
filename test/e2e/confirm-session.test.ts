/**
 * @module ConfirmSignUp's optional members: `Session` in and out (spec §5.10) and UserContextData,
 * AnalyticsMetadata and ClientMetadata (spec §2.1), which is passed to PostConfirmation and never stored.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ConfirmSignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState, writeConfig, writeModule } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const RECORDER = 'arn:aws:lambda:us-east-1:000000000000:function:recorder';
const USER_AUTH_FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

describe('ConfirmSignUp Session and metadata', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  const eventFile = join(mkdtempSync(join(tmpdir(), 'userpool-event-')), 'event.json');

  before(async () => {
    const recorder = writeModule(
      `import { writeFileSync } from 'node:fs';\nexport async function handler(event) { writeFileSync(${JSON.stringify(eventFile)}, JSON.stringify(event)); return event; }\n`,
    );
    server = await startTestServer({ args: ['--config', writeConfig({ functions: { [RECORDER]: { module: recorder } } })] });
    idp = server.client();
  });
  after(() => server.stop());

  const confirm = (input: Partial<ConstructorParameters<typeof ConfirmSignUpCommand>[0]> & { ClientId: string; Username: string; ConfirmationCode: string }) =>
    idp.send(new ConfirmSignUpCommand(input));

  test('a client allowing USER_AUTH gets a Session from SignUp and a fresh one from ConfirmSignUp', async () => {
    const { poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    const signedUp = await signUp(idp, clientId, 'sess-user');
    assert.ok(signedUp.Session && signedUp.Session.length >= 20, 'SignUp returns a Session');
    const out = await confirm({ ClientId: clientId, Username: 'sess-user', ConfirmationCode: await server.latestCode('sess-user'), Session: signedUp.Session });
    assert.ok(out.Session && out.Session.length >= 20 && out.Session.length <= 2048, 'ConfirmSignUp returns a Session');
    assert.notEqual(out.Session, signedUp.Session);
    assert.equal((await userState(idp, poolId, 'sess-user')).status, 'CONFIRMED');
  });

  test('without a Session in the request a Session is still returned (Amplify v6 relies on it)', async () => {
    const { clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    await signUp(idp, clientId, 'sess-none');
    const out = await confirm({ ClientId: clientId, Username: 'sess-none', ConfirmationCode: await server.latestCode('sess-none') });
    assert.ok(out.Session && out.Session.length >= 20);
  });

  test('an unknown Session is accepted: the parameter is optional and the confirmation stands', async () => {
    const { poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    await signUp(idp, clientId, 'sess-unknown');
    const out = await confirm({ ClientId: clientId, Username: 'sess-unknown', ConfirmationCode: await server.latestCode('sess-unknown'), Session: 'x'.repeat(40) });
    assert.ok(out.Session);
    assert.equal((await userState(idp, poolId, 'sess-unknown')).status, 'CONFIRMED');
  });

  test('clients without ALLOW_USER_AUTH (including the default flows) get no Session', async () => {
    for (const flows of [undefined, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const]) {
      const { clientId } = await createPool(idp, {}, flows ? { ExplicitAuthFlows: [...flows] } : {});
      const name = `sess-off-${flows ? 'srp' : 'default'}`;
      const signedUp = await signUp(idp, clientId, name);
      assert.equal(signedUp.Session, undefined);
      const out = await confirm({ ClientId: clientId, Username: name, ConfirmationCode: await server.latestCode(name), Session: 'y'.repeat(30) });
      assert.equal(out.Session, undefined);
    }
  });

  test('a Session shorter than 20 characters fails shape validation', async () => {
    const { poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    await signUp(idp, clientId, 'sess-short');
    await assertRejects(() => confirm({ ClientId: clientId, Username: 'sess-short', ConfirmationCode: '123456', Session: 'short' }), {
      type: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'session' failed to satisfy constraint: Member must have length greater than or equal to 20",
    });
    assert.equal((await userState(idp, poolId, 'sess-short')).status, 'UNCONFIRMED');
  });

  test('sessions are stored as digests that expire after the client\'s AuthSessionValidity', async (t) => {
    if (server.db.startsWith('postgres')) return t.skip('inspects the SQLite file');
    const { clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS], AuthSessionValidity: 7 });
    const signedUp = await signUp(idp, clientId, 'sess-stored');
    const out = await confirm({ ClientId: clientId, Username: 'sess-stored', ConfirmationCode: await server.latestCode('sess-stored') });
    const db = new Database(server.db, { readonly: true });
    try {
      const user = db.prepare("SELECT updated_at, created_at FROM users WHERE username = 'sess-stored'").get() as { updated_at: number; created_at: number };
      const rows = db.prepare("SELECT digest, client_id, expires_at FROM sessions WHERE username_key = 'sess-stored' ORDER BY expires_at").all() as {
        digest: string;
        client_id: string;
        expires_at: number;
      }[];
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.equal(row.client_id, clientId);
        assert.ok(row.digest !== signedUp.Session && row.digest !== out.Session && !row.digest.includes(out.Session!));
      }
      assert.deepEqual(rows.map((r) => r.expires_at), [user.created_at + 7 * 60_000, user.updated_at + 7 * 60_000]);
    } finally {
      db.close();
    }
  });

  test('UserContextData, AnalyticsMetadata and ClientMetadata are accepted and never stored; ClientMetadata reaches PostConfirmation', async () => {
    const { poolId, clientId } = await createPool(idp, { LambdaConfig: { PostConfirmation: RECORDER } });
    await signUp(idp, clientId, 'meta-user');
    await confirm({
      ClientId: clientId,
      Username: 'meta-user',
      ConfirmationCode: await server.latestCode('meta-user'),
      UserContextData: { IpAddress: '198.51.100.20', EncodedData: 'opaque-device-fingerprint' },
      AnalyticsMetadata: { AnalyticsEndpointId: 'endpoint-1234' },
      ClientMetadata: { campaign: 'spring-launch-7f3a', locale: 'en-GB' },
    });
    assert.equal((await userState(idp, poolId, 'meta-user')).status, 'CONFIRMED');
    const event = JSON.parse(readFileSync(eventFile, 'utf8')) as { triggerSource: string; request: { clientMetadata?: Record<string, string>; userAttributes: Record<string, string> } };
    assert.equal(event.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.deepEqual(event.request.clientMetadata, { campaign: 'spring-launch-7f3a', locale: 'en-GB' });
    assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.equal(event.request.userAttributes.email_verified, 'true');
    if (!server.db.startsWith('postgres')) assertNotStored(server.db, ['spring-launch-7f3a', 'opaque-device-fingerprint', 'endpoint-1234']);
  });

});

/** Scans every text column of every table of the SQLite file for the given values. */
function assertNotStored(file: string, values: string[]): void {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const value of Object.values(row)) {
          if (typeof value !== 'string') continue;
          for (const needle of values) assert.ok(!value.includes(needle), `${table} holds ${needle}`);
        }
      }
    }
  } finally {
    db.close();
  }
}
