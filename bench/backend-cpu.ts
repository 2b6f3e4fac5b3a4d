/**
 * @module CPU used by the PostgreSQL backends serving one server process, from /proc: the backends
 * are those whose command line names a client port that one of the server's own sockets holds.
 * Another run sharing the PostgreSQL server is thereby left out, which the machine-wide figure cannot do.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;
const POSTGRES_PORT_HEX = (5432).toString(16).toUpperCase().padStart(4, '0');

/** Local ports of the process's TCP connections to port 5432. */
function clientPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[')) inodes.add(link.slice(8, -1));
    } catch {
      // The descriptor was closed while listing.
    }
  }
  const ports = new Set<number>();
  for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/u);
    if (fields.length < 10 || !inodes.has(fields[9]!)) continue;
    if (fields[2]!.endsWith(`:${POSTGRES_PORT_HEX}`)) ports.add(parseInt(fields[1]!.split(':')[1]!, 16));
  }
  return ports;
}

function cpuSeconds(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds so far of each backend serving `pid`, by backend pid; undefined where /proc is absent. */
export function backendCpu(pid: number): Map<string, number> | undefined {
  try {
    const ports = clientPorts(pid);
    const out = new Map<string, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/u.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        const port = /^postgres: .*\((\d+)\)/u.exec(cmdline)?.[1];
        if (port && ports.has(Number(port))) out.set(entry, cpuSeconds(entry));
      } catch {
        // The process left while listing.
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** CPU seconds the backends used between two readings; a backend that appeared meanwhile counts from zero. */
export function backendCpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
