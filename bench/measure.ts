/** @module One measured phase: the load run, the CPU the servers (and their main threads), the load generator and the rest of the machine used during it, and its window on the clock of V8's CPU profiles. */
import { runLoad, type LoadResult, type LoadSpec } from './load.ts';
import { machineBusySeconds, type Child } from './processes.ts';
import type { PhaseResult } from './report.ts';

function serverCpu(servers: readonly Child[], main = false): number | undefined {
  let total = 0;
  for (const server of servers) {
    const seconds = main ? server.mainThreadCpuSeconds() : server.cpuSeconds();
    if (seconds === undefined) return undefined;
    total += seconds;
  }
  return total;
}

/** Monotonic microseconds: the clock V8's CPU profiles use, so a phase can be cut out of a profile. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Phase start and end on the profile clock, filled in by `measure`. */
export const windows: Record<string, [number, number]> = {};

/** A measured run, with the CPU used during it; the bench's share includes its worker threads. */
export async function measure<R extends LoadResult>(servers: readonly Child[], run: () => Promise<R>, phase: string): Promise<R & PhaseResult> {
  const serverBefore = serverCpu(servers);
  const mainBefore = serverCpu(servers, true);
  const machineBefore = machineBusySeconds();
  const benchBefore = process.cpuUsage();
  const startUs = monotonicUs();
  const result = await run();
  windows[phase] = [startUs, monotonicUs()];
  const serverAfter = serverCpu(servers);
  const mainAfter = serverCpu(servers, true);
  const machineAfter = machineBusySeconds();
  const bench = process.cpuUsage(benchBefore);
  const percent = (seconds: number) => (seconds / result.seconds) * 100;
  const benchSeconds = (bench.user + bench.system) / 1e6;
  const serverSeconds = serverBefore !== undefined && serverAfter !== undefined ? serverAfter - serverBefore : undefined;
  const machineSeconds = machineBefore !== undefined && machineAfter !== undefined ? machineAfter - machineBefore : undefined;
  return {
    ...result,
    ...(serverSeconds !== undefined ? { serverCpuPercent: percent(serverSeconds), serverCpuUsPerRequest: result.requests ? (serverSeconds / result.requests) * 1e6 : 0 } : {}),
    ...(mainBefore !== undefined && mainAfter !== undefined ? { serverMainThreadCpuPercent: percent(mainAfter - mainBefore) } : {}),
    benchCpuPercent: percent(benchSeconds),
    ...(serverSeconds !== undefined && machineSeconds !== undefined
      ? { otherCpuPercent: Math.max(0, percent(machineSeconds - serverSeconds - benchSeconds)) }
      : {}),
  };
}

export function measureLoad(servers: readonly Child[], spec: LoadSpec, phase: string): Promise<PhaseResult> {
  return measure(servers, () => runLoad(spec), phase);
}

export async function warmUp(spec: LoadSpec, what: string): Promise<void> {
  if (spec.bodies.length === 0) return;
  const result = await runLoad(spec);
  if (result.errors > 0) console.warn(`warning: ${result.errors} error(s) during the ${what} warm-up; first: HTTP ${result.firstError?.status} ${result.firstError?.body}`);
}
