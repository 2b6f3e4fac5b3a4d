/**
 * @module Log formats: JSON lines when stdout is a pipe or a file, pino-pretty's readable lines on a
 * terminal in the local profile (or whenever `--log-format pretty` asks), JSON in production.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { productionEnv, tempDbPath } from '../helpers/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs the server until its start-up line appears (or 15 s pass), then stops it; returns what it printed. */
function firstLines(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const done = () => {
      clearTimeout(timer);
      child.kill('SIGTERM');
    };
    const timer = setTimeout(done, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/userpool listening[\s\S]*url/u.test(output) || /"msg":"userpool listening"/u.test(output)) setTimeout(done, 200);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve(output));
  });
}

const serve = (extra: string[]) => [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--db', tempDbPath(), ...extra];

describe('log format', () => {
  test('JSON when stdout is a pipe', async () => {
    const [node, ...args] = serve([]);
    const out = await firstLines(node!, args);
    const line = out.split('\n').find((l) => l.includes('userpool listening'))!;
    assert.equal(JSON.parse(line).msg, 'userpool listening');
  });

  test('--log-format pretty: readable lines, no JSON', async () => {
    const [node, ...args] = serve(['--log-format', 'pretty']);
    const out = await firstLines(node!, args);
    assert.match(out, /INFO.*: userpool listening/u);
    assert.match(out, /url: "http:\/\/127\.0\.0\.1:\d+"/u);
    assert.ok(!out.includes('"msg":'), out);
  });

  test('on a terminal the local profile is readable and production stays JSON', { skip: hasScript ? false : 'needs script(1) for a pseudo-terminal' }, async () => {
    const local = await firstLines('script', ['-qec', serve([]).join(' '), '/dev/null']);
    assert.match(local, /\x1b\[3\dm/u, 'colours on a terminal');
    assert.match(local.replace(/\x1b\[[0-9;]*m/gu, ''), /INFO: userpool listening/u, local);
    const production = await firstLines('script', ['-qec', serve(['--profile', 'production']).join(' '), '/dev/null'], productionEnv());
    assert.match(production, /"msg":"userpool listening"/u, production);
  });
});
