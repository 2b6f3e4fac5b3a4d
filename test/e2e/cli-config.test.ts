/**
 * @module The config file (JSON or YAML): pools and clients with fixed ids applied at start,
 * idempotently, and refused with exit code 2 when wrong or unreadable (issue 2 item 8).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const POOL_ID = 'us-east-1_TeamPool01';
const WEB_ID = 'teamwebclient0000000000001';
const API_ID = 'teamapiclient0000000000001';
const API_SECRET = 'teamsecretvalue0123456789abcdefghij';

const YAML = `# The team's committed setup.
region: us-east-1
pools:
  - id: ${POOL_ID}
    name: team
    settings:
      AutoVerifiedAttributes: [email]
      Policies:
        PasswordPolicy: { MinimumLength: 10 }
    clients:
      - id: ${WEB_ID}
        name: web
        settings:
          PreventUserExistenceErrors: ENABLED
      - id: ${API_ID}
        name: api
        secret: ${API_SECRET}
  - name: unnamed-ids
    clients:
      - name: only-a-name
`;

const JSON_CONFIG = {
  pools: [{ id: 'eu-west-1_JsonPool01', name: 'json-team', settings: { AutoVerifiedAttributes: ['email'] }, clients: [{ id: 'jsonclient0000000000000001', name: 'json-web' }] }],
};

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'userpool-config-'));
}

async function allPools(server: TestServer) {
  return (await server.client().send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!;
}

describe('config file: declared pools and clients', () => {
  it('creates YAML-declared pools and clients with their fixed ids and settings, and they work', async (t) => {
    const dir = scratch();
    writeFileSync(join(dir, 'userpool.yaml'), YAML);
    const server = await startTestServer({ db: join(dir, 'u.db'), args: ['--config', join(dir, 'userpool.yaml')] });
    t.after(() => server.stop());
    const { UserPool } = await server.client().send(new DescribeUserPoolCommand({ UserPoolId: POOL_ID }));
    assert.equal(UserPool!.Name, 'team');
    assert.equal(UserPool!.Policies?.PasswordPolicy?.MinimumLength, 10);
    const web = await server.client().send(new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: WEB_ID }));
    assert.equal(web.UserPoolClient!.ClientName, 'web');
    assert.equal(web.UserPoolClient!.PreventUserExistenceErrors, 'ENABLED');
    const api = await server.client().send(new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: API_ID }));
    assert.equal(api.UserPoolClient!.ClientSecret, API_SECRET);

    // The declared secret is the one SignUp and ConfirmSignUp check.
    const hash = (username: string) => createHmac('sha256', API_SECRET).update(username + API_ID).digest('base64');
    await server.client().send(
      new SignUpCommand({ ClientId: API_ID, Username: 'member', Password: PASSWORD, SecretHash: hash('member'), UserAttributes: [{ Name: 'email', Value: 'm@example.com' }] }),
    );
    await server.client().send(
      new ConfirmSignUpCommand({ ClientId: API_ID, Username: 'member', ConfirmationCode: await server.latestCode('member'), SecretHash: hash('member') }),
    );
    const names = (await allPools(server)).map((p) => p.Name).sort();
    assert.deepEqual(names, ['team', 'unnamed-ids']);
  });

  it('creates JSON-declared pools in the Region of their id', async (t) => {
    const dir = scratch();
    writeFileSync(join(dir, 'userpool.json'), JSON.stringify(JSON_CONFIG));
    const server = await startTestServer({ db: join(dir, 'u.db'), args: ['--config', join(dir, 'userpool.json')] });
    t.after(() => server.stop());
    const { UserPool } = await server.client().send(new DescribeUserPoolCommand({ UserPoolId: 'eu-west-1_JsonPool01' }));
    assert.deepEqual(UserPool!.AutoVerifiedAttributes, ['email']);
    const clients = await server.client().send(new ListUserPoolClientsCommand({ UserPoolId: 'eu-west-1_JsonPool01', MaxResults: 60 }));
    assert.deepEqual(clients.UserPoolClients!.map((c) => c.ClientId), ['jsonclient0000000000000001']);
  });

  it('is idempotent: a second start on the same database makes no duplicates and keeps users and secrets', async (t) => {
    const dir = scratch();
    const db = join(dir, 'u.db');
    writeFileSync(join(dir, 'userpool.yaml'), YAML);
    const args = ['--config', join(dir, 'userpool.yaml')];

    const first = await startTestServer({ db, args });
    const poolsBefore = await allPools(first);
    const unnamed = poolsBefore.find((p) => p.Name === 'unnamed-ids')!;
    const unnamedClients = await first.client().send(new ListUserPoolClientsCommand({ UserPoolId: unnamed.Id!, MaxResults: 60 }));
    await first.client().send(new SignUpCommand({ ClientId: WEB_ID, Username: 'kept', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'k@example.com' }] }));
    await first.stop();

    const second = await startTestServer({ db, args });
    t.after(() => second.stop());
    const poolsAfter = await allPools(second);
    assert.deepEqual(poolsAfter.map((p) => p.Id).sort(), poolsBefore.map((p) => p.Id).sort());
    for (const pool of poolsAfter) {
      const clients = await second.client().send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id!, MaxResults: 60 }));
      const ids = clients.UserPoolClients!.map((c) => c.ClientId).sort();
      if (pool.Id === POOL_ID) assert.deepEqual(ids, [API_ID, WEB_ID].sort());
      else assert.deepEqual(ids, unnamedClients.UserPoolClients!.map((c) => c.ClientId).sort());
    }
    const api = await second.client().send(new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: API_ID }));
    assert.equal(api.UserPoolClient!.ClientSecret, API_SECRET);
    // Users made between starts survive the re-application of the file.
    await second.client().send(new ConfirmSignUpCommand({ ClientId: WEB_ID, Username: 'kept', ConfirmationCode: await second.latestCode('kept') }));
  });
});

describe('config file: refused with exit code 2', () => {
  const cases: [string, string, string, RegExp][] = [
    ['invalid JSON', 'bad.json', '{"pools": [', /config file .*bad\.json is not valid JSON/u],
    ['invalid YAML', 'bad.yaml', 'pools:\n  - name: [unclosed\n', /config file .*bad\.yaml is not valid YAML/u],
    ['a list at the top', 'list.json', '[]', /must hold an object/u],
    ['a port that is a string', 'port.yaml', 'port: "9300"\n', /port must be a port number \(0-65535\), got "9300"/u],
    ['a region that is not a string', 'region.json', '{"region": 5}', /region must be a non-empty string, got 5/u],
    ['a pool without a name', 'noname.json', '{"pools":[{"id":"us-east-1_NoName001"}]}', /pools\[0\] needs a name/u],
    ['a client without a name', 'noclient.json', '{"pools":[{"name":"p","clients":[{"id":"abc"}]}]}', /pools\[0\]\.clients\[0\] needs a name/u],
    ['two pools of one name without ids', 'dup.json', '{"pools":[{"name":"same"},{"name":"same"}]}', /pools\[1\]: another pool without an id is named "same"/u],
    ['request rules on a pool without an id', 'rules.json', '{"pools":[{"name":"p","requestRules":{"defaultAction":"block","rules":[]}}]}', /pools\[0\] has requestRules but no id/u],
    ['a limit of zero', 'zero.json', '{"pools":[{"id":"us-east-1_Limits001","name":"p","limits":{"confirmAttemptsPerHour":0}}]}', /pools\[0\]\.limits\.confirmAttemptsPerHour must be a whole number of at least 1, got 0/u],
    ['an unknown limit', 'limit.json', '{"defaultLimits":{"signInAttempts":3}}', /defaultLimits\.signInAttempts is not a limit/u],
    ['a malformed pool id', 'badid.json', '{"pools":[{"id":"not a pool id","name":"p"}]}', /pools\[0\]\.id "not a pool id" is not a user pool id/u],
    ['settings outside the model', 'settings.json', '{"pools":[{"name":"p","settings":{"AutoVerifiedAttributes":["fax"]}}]}', /pools\[0\]\.settings: 1 validation error detected/u],
    ['a client id taken by another pool', 'twice.json',
      '{"pools":[{"id":"us-east-1_PoolOne001","name":"a","clients":[{"id":"sharedclient00000000000001","name":"x"}]},{"id":"us-east-1_PoolTwo001","name":"b","clients":[{"id":"sharedclient00000000000001","name":"y"}]}]}',
      /sharedclient00000000000001 already belongs to pool us-east-1_PoolOne001/u],
  ];
  for (const [what, name, text, message] of cases) {
    it(`refuses ${what}`, () => {
      const dir = scratch();
      writeFileSync(join(dir, name), text);
      // A --port flag would hide the file's own port; the file under test decides it there.
      const port = name === 'port.yaml' ? [] : ['--port', '0'];
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...port, '--db', join(dir, 'u.db'), '--config', join(dir, name)], {
        cwd: root, encoding: 'utf8', timeout: 30_000,
      });
      assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /^userpool: /mu);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /u, 'a stack trace is not a clear message');
    });
  }

  it('refuses a config file that cannot be read, naming it', () => {
    const dir = scratch();
    for (const path of [join(dir, 'missing.yaml'), dir]) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', join(dir, 'u.db'), '--config', path], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 2, run.stderr);
      assert.ok(run.stderr.includes(`cannot read config file ${path}`), run.stderr);
    }
    assert.ok(!existsSync(join(dir, 'u.db')));
  });
});
