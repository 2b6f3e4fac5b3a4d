/**
 * @module The container recipe, checked without Docker (CI has none): the Dockerfile's stages,
 * user, volume, health check and command, the compose file's services, and the image's exact
 * start command and health check run against the built dist/ in this checkout.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped, grouped by FROM. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/u.test(line)) continue;
    while (/\\\s*$/u.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/u, ' ');
      i++;
      if (!/^\s*#/u.test(lines[i]!)) line += lines[i]!.trim();
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/u.exec(line);
    assert.ok(match, `Dockerfile line ${start} is not an instruction: ${line}`);
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start };
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(/\s+/u);
      stages.push({ from: from!, ...(as?.toUpperCase() === 'AS' ? { name } : {}), instructions: [] });
    } else if (instruction.keyword !== 'ARG' || stages.length > 0) {
      assert.ok(stages.length > 0, `Dockerfile line ${start}: ${instruction.keyword} before the first FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** An exec-form argument list (`["node", "…"]`), which Docker runs without a shell. */
function execForm(args: string, what: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    assert.fail(`${what} must be in exec form (a JSON array), got: ${args}`);
  }
  assert.ok(Array.isArray(parsed) && parsed.length > 0 && parsed.every((a) => typeof a === 'string'), `${what} must be a JSON array of strings`);
  return parsed as string[];
}

/** ENV instructions of a stage, in both `ENV K=V K2=V2` and `ENV K V` forms. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of all(stage, 'ENV')) {
    if (!args.includes('=')) {
      const [key, ...rest] = args.split(/\s+/u);
      env[key!] = rest.join(' ');
      continue;
    }
    for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/gu) ?? []) {
      const at = pair.indexOf('=');
      env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"(.*)"$/u, '$1');
    }
  }
  return env;
}

/** Docker's .dockerignore matching, as far as this repository's patterns need: globs, `!`, last match wins. */
function ignoredByDocker(path: string, patterns: string[]): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/gu, '');
    const source = pattern
      .split('/')
      .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]\\]/gu, '\\$&').replace(/\*/gu, '[^/]*').replace(/\?/gu, '[^/]')))
      .join('/');
    // A pattern that names a folder also covers everything inside it.
    if (new RegExp(`^${source}(/.*)?$`, 'u').test(path)) ignored = !negate;
  }
  return ignored;
}

const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1)!;

describe('Dockerfile', () => {
  test('has a build stage and a slim runtime stage that copies from it', () => {
    assert.ok(dockerfile.length >= 2, 'expected a multi-stage build');
    const names = new Set(dockerfile.map((s) => s.name).filter(Boolean));
    assert.match(runtime.from, /^node:[^ ]*slim/u, 'the runtime stage should be a slim Node image');
    for (const stage of dockerfile) {
      for (const copy of all(stage, 'COPY')) {
        const from = /--from=(\S+)/u.exec(copy.args)?.[1];
        if (from) assert.ok(names.has(from), `line ${copy.line}: COPY --from=${from} names no stage`);
      }
    }
    assert.ok(all(runtime, 'COPY').every((c) => c.args.includes('--from=')), 'the runtime stage should take everything from the build stage');
    assert.equal(all(runtime, 'RUN').some((r) => /\bnpm (ci|install)\b/u.test(r.args)), false, 'the runtime stage should not install packages');
  });

  test('the build stage gets every input of `npm run build` and every file it copies exists and is not ignored', async () => {
    const build = dockerfile[0]!;
    const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const copied: string[] = [];
    for (const copy of all(build, 'COPY')) {
      const parts = copy.args.split(/\s+/u).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        const path = source.replace(/\/+$/u, '');
        assert.ok(existsSync(join(root, path)), `line ${copy.line}: ${source} does not exist`);
        assert.equal(ignoredByDocker(path, patterns), false, `line ${copy.line}: ${source} is excluded by .dockerignore`);
        copied.push(path);
      }
    }
    const runBuild = all(build, 'RUN').find((r) => /\bnpm run build\b/u.test(r.args));
    assert.ok(runBuild, 'the build stage should run `npm run build`');
    const copiedBefore = all(build, 'COPY').every((c) => c.line < runBuild.line);
    assert.ok(copiedBefore, 'every COPY should come before `npm run build`');
    for (const input of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts', 'src', 'bin', 'migrations']) {
      assert.ok(copied.some((c) => input === c || input.startsWith(`${c}/`)), `the build stage does not copy ${input}`);
    }
    assert.match(runBuild.args, /npm prune --omit=dev/u, 'devDependencies should be pruned before the runtime stage copies node_modules');
  });

  test('the runtime stage holds what `serve` reads, runs as a non-root user, keeps data in a volume', () => {
    const targets = all(runtime, 'COPY').flatMap((c) => c.args.split(/\s+/u).filter((p) => !p.startsWith('--')).slice(0, -1).map((p) => p.replace(/^\/app\//u, '').replace(/\/+$/u, '')));
    for (const needed of ['package.json', 'node_modules', 'dist', 'bin', 'migrations']) assert.ok(targets.includes(needed), `the runtime stage does not copy ${needed}`);
    const users = all(runtime, 'USER');
    assert.ok(users.length > 0, 'the runtime stage sets no USER');
    assert.doesNotMatch(users.at(-1)!.args, /^(root|0)(:|$)/u, 'the runtime stage runs as root');
    const cmd = all(runtime, 'CMD').at(-1)!;
    assert.ok(users.at(-1)!.line < cmd.line, 'USER should come before CMD');
    const volumes = all(runtime, 'VOLUME').flatMap((v) => (v.args.startsWith('[') ? execForm(v.args, 'VOLUME') : v.args.split(/\s+/u)));
    assert.ok(volumes.includes('/data'), 'the runtime stage declares no /data volume');
    assert.match(envOf(runtime).USERPOOL_DB ?? '', /^\/data\//u, 'the default database should live in the /data volume');
    assert.equal(envOf(runtime).HOST, '0.0.0.0', 'a container must listen on all interfaces to be reachable');
  });

  test('the health check and the command are in exec form; the health check asks /health/ready', () => {
    const health = all(runtime, 'HEALTHCHECK');
    assert.equal(health.length, 1, 'expected one HEALTHCHECK');
    const [, check] = /\bCMD\s+(\[.*\])\s*$/u.exec(health[0]!.args) ?? [];
    assert.ok(check, 'HEALTHCHECK should use CMD in exec form');
    assert.match(execForm(check, 'HEALTHCHECK CMD').join(' '), /\/health\/ready/u);
    assert.equal(execForm(all(runtime, 'CMD').at(-1)!.args, 'CMD')[0], 'node', 'CMD should start node itself, so SIGTERM reaches it');
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync(join(root, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string>; depends_on?: Record<string, { condition?: string }>; ports?: string[]; healthcheck?: unknown; volumes?: string[] }>;
    volumes?: Record<string, unknown>;
  };
  const services = Object.entries(compose.services ?? {});
  const postgres = services.filter(([, s]) => /^postgres:/u.test(s.image ?? ''));
  const instances = services.filter(([, s]) => s.build !== undefined);

  test('runs PostgreSQL with a health check and a named volume', () => {
    assert.equal(postgres.length, 1, 'expected one postgres service');
    const [, pg] = postgres[0]!;
    assert.ok(pg.healthcheck, 'postgres needs a health check for depends_on to wait on');
    for (const volume of pg.volumes ?? []) {
      const name = volume.split(':')[0]!;
      if (!name.startsWith('.') && !name.startsWith('/')) assert.ok(compose.volumes && name in compose.volumes, `volume ${name} is not declared`);
    }
  });

  test('runs two or more userpool instances from this Dockerfile on that database, with one master key', () => {
    assert.ok(instances.length >= 2, 'expected at least two instances built from this repository');
    const [pgName] = postgres[0]!;
    const keys = new Set<string>();
    const ports = new Set<string>();
    for (const [name, service] of instances) {
      const env = service.environment ?? {};
      assert.match(env.USERPOOL_DB ?? '', new RegExp(`^postgres(ql)?://[^@]+@${pgName}:5432/`, 'u'), `${name} is not on the ${pgName} service`);
      assert.equal(service.depends_on?.[pgName]?.condition, 'service_healthy', `${name} should wait for ${pgName} to be healthy`);
      assert.ok(env.USERPOOL_SECRET_KEY, `${name} has no master key`);
      keys.add(env.USERPOOL_SECRET_KEY);
      for (const port of service.ports ?? []) {
        assert.ok(!ports.has(port), `${name} publishes ${port} twice`);
        ports.add(port);
      }
    }
    assert.equal(keys.size, 1, 'every instance needs the same USERPOOL_SECRET_KEY');
  });
});

describe("the image's command against the built output", { timeout: 5 * 60_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'userpool-image-'));
  before(() => {
    const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--if-stale'], { cwd: root, encoding: 'utf8', timeout: 4 * 60_000 });
    assert.equal(built.status, 0, built.stdout + built.stderr);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('serves, passes the HEALTHCHECK, answers an API call and stops on SIGTERM', async () => {
    const [program, ...args] = execForm(all(runtime, 'CMD').at(-1)!.args, 'CMD');
    // The image's own environment, except a free port and a database outside /data.
    const env = { ...process.env, ...envOf(runtime), PORT: '0', USERPOOL_DB: join(work, 'userpool.db'), USERPOOL_LOG_LEVEL: 'info' };
    const child = spawn(program === 'node' ? process.execPath : program!, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${output}`)), 20_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /"url":"http:\/\/[^"]*:(\d+)"[^\n]*"msg":"userpool listening"/u.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${url}/health`)).status, 200);

      const [, check] = /\bCMD\s+(\[.*\])\s*$/u.exec(all(runtime, 'HEALTHCHECK')[0]!.args)!;
      const [checkProgram, ...checkArgs] = execForm(check!, 'HEALTHCHECK CMD');
      const health = spawnSync(checkProgram === 'node' ? process.execPath : checkProgram!, checkArgs, { env: { ...env, PORT: String(port) }, encoding: 'utf8', timeout: 10_000 });
      assert.equal(health.status, 0, `the HEALTHCHECK command failed: ${health.stdout}${health.stderr}`);

      const pools = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
        body: JSON.stringify({ MaxResults: 10 }),
      });
      assert.deepEqual({ status: pools.status, body: await pools.json() }, { status: 200, body: { UserPools: [] } });
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, `the server did not stop cleanly on SIGTERM:\n${output}`);
  });
});
