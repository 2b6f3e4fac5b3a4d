/**
 * @module The `userpool` command: flags, their environment equivalents, precedence, `npm start --`
 * pass-through, and exit code 2 with a clear message for bad flags (issue 2 item 8).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import { CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { resolveConfig } from '../../src/cli/main.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { sdkClient } from '../helpers/server.ts';
import { startSmtp } from '../helpers/smtp.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** The environment without any of the variables under test, so the machine's own cannot leak in. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['PORT', 'HOST', 'USERPOOL_DB', 'USERPOOL_SMTP_URL', 'USERPOOL_REGION', 'USERPOOL_CONFIG', 'USERPOOL_PROFILE', 'USERPOOL_SECRET_KEY']) delete env[name];
  return { ...env, USERPOOL_LOG_LEVEL: 'info', ...extra };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'userpool-cli-'));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** Starts a command as its own process group, waits for the listening line, and stops the group after the test. */
async function launch(t: TestContext, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; db: string; child: ChildProcess }> {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  });
  let output = '';
  const line = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.split('\n').find((l) => l.includes('"msg":"userpool listening"'));
      if (found) {
        clearTimeout(timer);
        resolve(JSON.parse(found) as Record<string, string>);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { url: line.url!, db: line.db!, child };
}

function runCli(args: string[], env = cleanEnv()): { status: number | null; stderr: string; stdout: string } {
  const run = spawnSync(process.execPath, [...CLI, ...args], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe('cli: defaults and precedence', () => {
  it('defaults to 127.0.0.1:9229, ./.userpool/userpool.db, us-east-1 and the local profile', () => {
    const config = resolveConfig({}, {});
    assert.equal(config.port, 9229);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.db, './.userpool/userpool.db');
    assert.equal(config.region, 'us-east-1');
    assert.equal(config.profile, 'local');
    assert.equal(config.smtpUrl, undefined);
  });

  it('reads PORT, HOST, USERPOOL_DB, USERPOOL_SMTP_URL, USERPOOL_REGION and USERPOOL_CONFIG', () => {
    const dir = scratch();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ pools: [{ name: 'from-env-file' }] }));
    const config = resolveConfig({}, {
      PORT: '9555', HOST: '0.0.0.0', USERPOOL_DB: join(dir, 'e.db'), USERPOOL_SMTP_URL: 'smtp://127.0.0.1:2525',
      USERPOOL_REGION: 'eu-west-1', USERPOOL_CONFIG: file,
    });
    assert.deepEqual(
      { port: config.port, host: config.host, db: config.db, smtpUrl: config.smtpUrl, region: config.region, pools: config.pools.map((p) => p.name) },
      { port: 9555, host: '0.0.0.0', db: join(dir, 'e.db'), smtpUrl: 'smtp://127.0.0.1:2525', region: 'eu-west-1', pools: ['from-env-file'] },
    );
  });

  it('ranks flags over environment over the config file over defaults', () => {
    const file = join(scratch(), 'c.json');
    writeFileSync(file, JSON.stringify({ region: 'ap-south-1', host: '10.0.0.1', port: 1111 }));
    const both = resolveConfig({ config: file, region: 'eu-central-1' }, { USERPOOL_REGION: 'eu-west-1', HOST: '0.0.0.0' });
    assert.equal(both.region, 'eu-central-1');
    assert.equal(both.host, '0.0.0.0');
    assert.equal(both.port, 1111);
    // --config beats USERPOOL_CONFIG.
    const other = join(scratch(), 'o.json');
    writeFileSync(other, JSON.stringify({ region: 'sa-east-1' }));
    assert.equal(resolveConfig({ config: file }, { USERPOOL_CONFIG: other }).region, 'ap-south-1');
  });
});

describe('cli: a real server from flags and from the environment', () => {
  it('honours --port, --host, --db, --region and --smtp-url', async (t) => {
    const smtp = await startSmtp();
    t.after(() => smtp.close());
    const port = await freePort();
    const db = join(scratch(), 'flags.db');
    const { url } = await launch(t, process.execPath, [...CLI, 'serve', '--port', String(port), '--host', 'localhost', '--db', db, '--region', 'eu-west-2', '--smtp-url', smtp.url], cleanEnv());
    assert.equal(url, `http://localhost:${port}`);
    assert.ok(existsSync(db));
    const client = sdkClient(url);
    t.after(() => client.destroy());
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'flags' }));
    assert.match(pool.UserPool!.Id!, /^eu-west-2_[0-9A-Za-z]{9}$/u);
    assert.match(pool.UserPool!.Arn!, /^arn:aws:cognito-idp:eu-west-2:\d{12}:userpool\/eu-west-2_/u);
    const { clientId } = await createPool(client);
    await signUp(client, clientId, 'flagged', 'flagged@example.com');
    assert.equal((await smtp.waitFor('flagged@example.com')).from?.value[0]?.address, 'no-reply@verificationemail.com');
  });

  it('honours PORT, HOST, USERPOOL_DB, USERPOOL_REGION, USERPOOL_SMTP_URL and USERPOOL_CONFIG', async (t) => {
    const smtp = await startSmtp();
    t.after(() => smtp.close());
    const dir = scratch();
    const port = await freePort();
    const config = join(dir, 'env.yaml');
    writeFileSync(config, 'pools:\n  - id: ap-southeast-2_EnvPool01\n    name: from-env\n');
    const env = cleanEnv({
      PORT: String(port), HOST: 'localhost', USERPOOL_DB: join(dir, 'env.db'), USERPOOL_REGION: 'ap-southeast-2',
      USERPOOL_SMTP_URL: smtp.url, USERPOOL_CONFIG: config,
    });
    const { url } = await launch(t, process.execPath, CLI, env);
    assert.equal(url, `http://localhost:${port}`);
    assert.ok(existsSync(join(dir, 'env.db')));
    const client = sdkClient(url);
    t.after(() => client.destroy());
    const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(pools.UserPools!.map((p) => [p.Id, p.Name]), [['ap-southeast-2_EnvPool01', 'from-env']]);
    const made = await client.send(new CreateUserPoolCommand({ PoolName: 'env' }));
    assert.match(made.UserPool!.Id!, /^ap-southeast-2_/u);
    const { clientId } = await createPool(client);
    await signUp(client, clientId, 'envmail', 'envmail@example.com');
    await smtp.waitFor('envmail@example.com');
  });

  it('`npm start -- <flags>` passes the flags through', async (t) => {
    const port = await freePort();
    const db = join(scratch(), 'npm.db');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { url } = await launch(t, npm, ['start', '--', '--port', String(port), '--db', db, '--region', 'ca-central-1'], cleanEnv());
    assert.equal(url, `http://127.0.0.1:${port}`);
    assert.ok(existsSync(db));
    const client = sdkClient(url);
    t.after(() => client.destroy());
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'npm' }));
    assert.match(pool.UserPool!.Id!, /^ca-central-1_/u);
  });
});

describe('cli: bad flags exit with code 2 and say why', () => {
  const cases: [string, string[], RegExp, NodeJS.ProcessEnv?][] = [
    ['an unknown flag', ['--bogus'], /unknown option '--bogus'/u],
    ['a port that is not a number', ['--port', 'eighty'], /--port must be a port number/u],
    ['a port out of range', ['--port', '70000'], /--port must be a port number/u],
    ['a region that is not one', ['--region', 'moon'], /region "moon" is not an AWS Region/u],
    ['an unknown profile', ['--profile', 'staging'], /staging/u],
    ['an smtp URL of another scheme', ['--smtp-url', 'http://mail'], /smtp URL must start with smtp:\/\//u],
    ['a PORT variable that is not a number', [], /PORT must be a port number/u, cleanEnv({ PORT: 'abc' })],
    ['production without a master key', ['--profile', 'production'], /USERPOOL_SECRET_KEY/u],
    ['a master key that is too short', ['--profile', 'production'], /USERPOOL_SECRET_KEY is 2 bytes long; it must be 32 random bytes written as hex/u, cleanEnv({ USERPOOL_SECRET_KEY: 'abcd' })],
    // A passphrase that happens to be valid base64 (44 letters) used to be taken as a key.
    ['a passphrase as master key', ['--profile', 'production'], /looks like a passphrase, not random bytes/u, cleanEnv({ USERPOOL_SECRET_KEY: 'correcthorsebatterystaplecorrecthorsebattery' })],
    ['a master key of one repeated byte', ['--profile', 'production'], /repeats too few distinct bytes/u, cleanEnv({ USERPOOL_SECRET_KEY: '07'.repeat(32) })],
    ['a master key that is not hex or base64', ['--profile', 'production'], /is neither hex nor base64/u, cleanEnv({ USERPOOL_SECRET_KEY: 'my secret key!' })],
    ['a trust-proxy value that is neither hops nor CIDR blocks', ['--trust-proxy', 'nonsense'], /--trust-proxy: "nonsense" is not an IP address or CIDR block/u],
    ['a missing flag value', ['--port'], /argument missing/u],
  ];
  for (const [what, args, message, env] of cases) {
    it(`refuses ${what}`, () => {
      const db = join(scratch(), 'never.db');
      const run = runCli(['--db', db, ...args], env);
      assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, message);
      assert.ok(!existsSync(db), 'a refused start must not create the database');
    });
  }

  it('prints help and exits 0 for --help', () => {
    const run = runCli(['serve', '--help']);
    assert.equal(run.status, 0);
    for (const flag of ['--port', '--host', '--db', '--smtp-url', '--region', '--config']) assert.ok(run.stdout.includes(flag), flag);
  });
});
