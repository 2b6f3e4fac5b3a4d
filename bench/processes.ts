/**
 * @module Child processes of the benchmark: the ceiling server and real `userpool serve` instances,
 * each found by the URL in its "listening" log line, with its CPU time read from /proc where the
 * platform has it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Linux's USER_HZ; every mainstream kernel build uses 100. */
const CLOCK_TICKS_PER_SECOND = 100;
const OUTPUT_TAIL = 64 * 1024;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface Child {
  url: string;
  pid: number;
  /** The last output of the process, for diagnosing a failed run. */
  output(): string;
  /** User + system CPU seconds used so far, or undefined where /proc is absent. */
  cpuSeconds(): number | undefined;
  /** The same for the main thread alone: what is left of `cpuSeconds` ran on libuv's pool and V8's helpers. */
  mainThreadCpuSeconds(): number | undefined;
  /** SIGTERM, then SIGKILL if the process does not leave in time; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  label: string;
  nodeArgs?: string[];
  script: string;
  args: string[];
  /** Must capture the URL in group 1. */
  listening: RegExp;
  /** Load the script through tsx (the default); false for compiled JavaScript. */
  tsx?: boolean;
}

export async function spawnListening(options: SpawnOptions): Promise<Child> {
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.script, ...options.args], {
    cwd: repoRoot,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // The pipes are always drained: a child blocked on a full pipe would be measured as slow.
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${options.label} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const check = () => {
      const match = options.listening.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`${options.label} exited with code ${code} before listening`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      if (child.exitCode === null) child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- ${options.label} output ---\n${output}`));
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', onExit);
  });

  return {
    url,
    pid: child.pid!,
    output: () => output,
    cpuSeconds: () => cpuSecondsOf(child),
    mainThreadCpuSeconds: () => cpuSecondsOf(child, `task/${child.pid}/`),
    stop: () => stopChild(child, exited),
  };
}

/**
 * The real server, as users start it, on the given database: from the sources through tsx, as
 * `npm start` does, or the compiled CLI that `npx userpool` and the container run.
 */
export function spawnUserpool(db: string, label: string, extra: { nodeArgs?: string[]; args?: string[]; built?: boolean } = {}): Promise<Child> {
  return spawnListening({
    label,
    nodeArgs: extra.nodeArgs,
    script: extra.built ? 'bin/userpool.js' : 'src/cli/main.ts',
    tsx: !extra.built,
    // Level info: the start-up line carrying the URL is logged at info, and nothing on the request path is.
    args: ['serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--log-level', 'info', ...(extra.args ?? [])],
    listening: /"url":"([^"]+)"[^\n]*"msg":"userpool listening"/u,
  });
}

export function spawnCeiling(): Promise<Child> {
  return spawnListening({
    label: 'ceiling server',
    script: 'bench/ceiling-server.ts',
    args: [],
    listening: /"url":"([^"]+)","msg":"ceiling listening"/u,
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** CPU seconds every process on the machine has used since boot (not idle, not waiting on I/O), where /proc exists. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/u).slice(1).map(Number) as number[];
    return (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** `task` is empty for the whole process, or `task/<tid>/` for one thread of it. */
function cpuSecondsOf(child: ChildProcess, task = ''): number | undefined {
  if (child.pid === undefined || child.exitCode !== null) return undefined;
  try {
    const stat = readFileSync(`/proc/${child.pid}/${task}stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
