/**
 * @module The package as a new user gets it: `npm pack`, installed into a fresh project, then used
 * through ESM `import`, CommonJS `require`, a Jest test, a Vitest test, a TypeScript consumer and
 * the `userpool` command. Jest, Vitest and tsc are this repository's own installs run with the
 * consumer as working directory, so only the package's runtime dependencies come from the registry.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const tool = (...path: string[]) => join(root, 'node_modules', ...path);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(command: string, args: string[], cwd: string, timeoutMs?: number): Promise<string> {
  const result = await run(command, args, cwd, timeoutMs);
  assert.equal(result.code, 0, `${command} ${args.join(' ')} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result.stdout;
}

/** What every consumer below prints after one health check and one API call. */
const EXPECTED = { health: 200, poolsStatus: 200, pools: { UserPools: [] } };

/** The same two calls in every consumer, as plain JavaScript pasted into each file. */
const EXERCISE = `
async function exercise(startLocalServer) {
  const server = await startLocalServer();
  try {
    const health = await fetch(server.url + '/health');
    const pools = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
      body: JSON.stringify({ MaxResults: 10 }),
    });
    return { health: health.status, poolsStatus: pools.status, pools: await pools.json() };
  } finally {
    await server.close();
  }
}
`;

const TS_ESM = `import { startLocalServer, type RunningServer, type ServerConfig } from 'userpool';

const overrides: Partial<ServerConfig> = { region: 'eu-west-1' };
// @ts-expect-error a port is a number; fails to compile if the declarations were \`any\`
const wrong: Partial<ServerConfig> = { port: '9229' };
void wrong;
const server: RunningServer = await startLocalServer(overrides);
try {
  const health = await fetch(\`\${server.url}/health\`);
  const pools = await fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
    body: JSON.stringify({ MaxResults: 10 }),
  });
  const body = (await pools.json()) as unknown;
  console.log(JSON.stringify({ health: health.status, poolsStatus: pools.status, pools: body }));
} finally {
  await server.close();
}
`;

const TS_CJS = `import userpool = require('userpool');
import type { RunningServer } from 'userpool';

async function main(): Promise<void> {
  const server: RunningServer = await userpool.startLocalServer({ logLevel: 'error' });
  try {
    // @ts-expect-error close() takes no arguments
    await server.close(true);
    const port: number = server.port;
    console.log(JSON.stringify({ port: typeof port }));
  } finally {
    await server.close();
  }
}
void main();
`;

const JEST_LAZY_SDK = `const { startLocalServer } = require('userpool');

const call = (url, operation, body) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.' + operation },
    body: JSON.stringify(body),
  }).then((res) => res.json());

test('an SMS through SNS loads the SDK', async () => {
  const server = await startLocalServer({ sms: { sender: 'sns', endpoint: 'http://127.0.0.1:1' } });
  try {
    const pool = (await call(server.url, 'CreateUserPool', { PoolName: 'p', AutoVerifiedAttributes: ['phone_number'] })).UserPool.Id;
    const client = (await call(server.url, 'CreateUserPoolClient', { UserPoolId: pool, ClientName: 'c' })).UserPoolClient.ClientId;
    await call(server.url, 'SignUp', { ClientId: client, Username: 'bob', Password: 'Passw0rd!', UserAttributes: [{ Name: 'phone_number', Value: '+15551234567' }] });
    let message;
    for (let i = 0; i < 100 && !message?.lastError; i++) {
      await new Promise((done) => setTimeout(done, 100));
      message = (await (await fetch(server.url + '/_userpool/outbox')).json()).messages[0];
    }
    expect(message.lastError).toMatch(/ECONNREFUSED/);
  } finally {
    await server.close();
  }
});
`;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('the packed package in a fresh project', { timeout: 15 * 60_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'userpool-pack-'));
  const consumer = join(work, 'consumer');
  let packed: string[] = [];

  before(async () => {
    // prepack builds dist/ first when it is missing or older than the sources.
    const out = await ok('npm', ['pack', '--json', '--pack-destination', work], root, 5 * 60_000);
    const [info] = JSON.parse(out.slice(out.search(/^\[/mu))) as [{ filename: string; files: { path: string }[] }];
    packed = info.files.map((f) => f.path);
    write(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2)}\n`);
    // Installs the runtime dependencies from the registry and compiles better-sqlite3 (about a minute).
    await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info.filename)], consumer, 10 * 60_000);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  test('the tarball holds the compiled code, migrations, model and README, and no sources or tests', () => {
    for (const path of packed) {
      assert.match(path, /^(package\.json|README\.md|LICEN[CS]E(\.\w+)?|bin\/|dist\/|migrations\/|model\/)/u, `unexpected file in the tarball: ${path}`);
    }
    for (const path of ['bin/userpool.js', 'dist/esm/index.js', 'dist/esm/cli/main.js', 'dist/cjs/index.cjs', 'dist/types/index.d.ts', 'dist/types/index.d.cts', 'migrations/sqlite/001_initial.sql', 'migrations/postgres/001_initial.sql', 'model/cognito-idp.json']) {
      assert.ok(packed.includes(path), `${path} is missing from the tarball`);
    }
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/userpool/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(installed.dependencies.tsx, undefined, 'tsx must not be a runtime dependency');
    assert.equal(existsSync(join(consumer, 'node_modules/tsx')), false, 'the install pulled in tsx');
  });

  test('ESM import in plain Node', async () => {
    write(join(consumer, 'esm.mjs'), `import { startLocalServer } from 'userpool';\n${EXERCISE}\nconsole.log(JSON.stringify({ resolved: import.meta.resolve('userpool'), ...(await exercise(startLocalServer)) }));\n`);
    const { resolved, ...result } = JSON.parse(await ok(process.execPath, ['esm.mjs'], consumer)) as { resolved: string };
    assert.match(resolved, /\/node_modules\/userpool\/dist\/esm\/index\.js$/u);
    assert.deepEqual(result, EXPECTED);
  });

  test('CommonJS require in plain Node', async () => {
    write(join(consumer, 'cjs.cjs'), `const { startLocalServer } = require('userpool');\n${EXERCISE}\nexercise(startLocalServer).then((r) => console.log(JSON.stringify({ resolved: require.resolve('userpool'), ...r })));\n`);
    const { resolved, ...result } = JSON.parse(await ok(process.execPath, ['cjs.cjs'], consumer)) as { resolved: string };
    assert.match(resolved, /\/node_modules\/userpool\/dist\/cjs\/index\.cjs$/u);
    assert.deepEqual(result, EXPECTED);
  });

  test('a Jest test', async () => {
    write(
      join(consumer, 'jest/userpool.test.js'),
      `const { startLocalServer } = require('userpool');\n${EXERCISE}\ntest('a server from the package answers', async () => {\n  expect(await exercise(startLocalServer)).toEqual(${JSON.stringify(EXPECTED)});\n});\n`,
    );
    // The SNS SDK is loaded on first use; under Jest an import() there would throw without
    // --experimental-vm-modules, so the CommonJS build must require it. An unreachable endpoint
    // shows which: the send fails on the connection, not on loading the SDK.
    write(join(consumer, 'jest/lazy-sdk.test.js'), JEST_LAZY_SDK);
    const result = await run(process.execPath, [tool('jest/bin/jest.js'), '--ci', '--rootDir', 'jest', '--watchman=false', '--cacheDirectory', join(work, 'jest-cache')], consumer);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /Tests:\s+2 passed, 2 total/u);
  });

  test("the README's \"Inside your own test suite\" examples run verbatim: a plain .mjs file and a Jest test", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Inside your own test suite'));
    const [esm, jest] = [...section.matchAll(/```js\n([\s\S]*?)```/gu)].map((m) => m[1]!);
    assert.ok(esm?.includes("from 'userpool'") && jest?.includes("require('userpool')"), 'the README section has both examples');
    write(join(consumer, 'readme-example.mjs'), esm!);
    await ok(process.execPath, ['readme-example.mjs'], consumer);
    write(join(consumer, 'jest-readme/readme.test.js'), jest!);
    const result = await run(process.execPath, [tool('jest/bin/jest.js'), '--ci', '--rootDir', 'jest-readme', '--watchman=false', '--cacheDirectory', join(work, 'jest-cache')], consumer);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /Tests:\s+1 passed, 1 total/u);
  });

  test('a Vitest test', async () => {
    write(
      join(consumer, 'vitest/userpool.test.mjs'),
      `import { expect, test } from 'vitest';\nimport { startLocalServer } from 'userpool';\n${EXERCISE}\ntest('a server from the package answers', async () => {\n  expect(await exercise(startLocalServer)).toEqual(${JSON.stringify(EXPECTED)});\n});\n`,
    );
    const result = await run(process.execPath, [tool('vitest/vitest.mjs'), 'run', '--root', 'vitest'], consumer);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Tests\s+1 passed \(1\)/u);
  });

  test('TypeScript: tsc with the defaults of `tsc --init`, and with library checks on', async () => {
    const project = join(consumer, 'ts');
    mkdirSync(project, { recursive: true });
    const tsc = tool('typescript/bin/tsc');
    await ok(process.execPath, [tsc, '--init'], project);
    write(join(project, 'esm-consumer.mts'), TS_ESM);
    write(join(project, 'cjs-consumer.cts'), TS_CJS);
    // As a new user gets it: strict, nodenext, no @types/node, skipLibCheck on.
    await ok(process.execPath, [tsc, '--noEmit'], project);

    // The same with every declaration file checked too, against @types/node, then run the output.
    const typesNode = join(consumer, 'node_modules/@types/node');
    if (!existsSync(typesNode)) {
      mkdirSync(dirname(typesNode), { recursive: true });
      symlinkSync(tool('@types/node'), typesNode, 'dir');
    }
    write(join(project, 'tsconfig.libcheck.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { skipLibCheck: false, types: ['node'], outDir: 'out', sourceMap: false, declaration: false, declarationMap: false } }));
    await ok(process.execPath, [tsc, '-p', 'tsconfig.libcheck.json'], project);
    assert.deepEqual(JSON.parse(await ok(process.execPath, ['out/esm-consumer.mjs'], project)), EXPECTED);
    assert.deepEqual(JSON.parse(await ok(process.execPath, ['out/cjs-consumer.cjs'], project)), { port: 'number' });
  });

  test('npx userpool --version and serve', async () => {
    assert.equal((await ok('npx', ['userpool', '--version'], consumer)).trim(), version);

    // npx does not pass signals on to the command it runs: the whole process group is stopped.
    const child = spawn('npx', ['userpool', 'serve', '--port', '0', '--db', join(work, 'cli.db')], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const group = -child.pid!;
    let output = '';
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${output}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /"url":"([^"]+)"[^\n]*"msg":"userpool listening"/u.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`userpool serve exited with ${code}:\n${output}`)));
      });
      assert.equal((await fetch(`${url}/health`)).status, 200);
      const pools = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
        body: JSON.stringify({ MaxResults: 10 }),
      });
      assert.deepEqual({ status: pools.status, body: await pools.json() }, { status: 200, body: { UserPools: [] } });
    } finally {
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(group, name);
        } catch {
          // The group is already gone.
        }
      };
      signal('SIGTERM');
      const killer = setTimeout(() => signal('SIGKILL'), 10_000);
      await closed;
      clearTimeout(killer);
    }
    assert.doesNotMatch(output, /"level":(50|60)/u, 'the server logged an error');
  });
});
