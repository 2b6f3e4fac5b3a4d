/**
 * @module Reads a V8 .cpuprofile written by `npm run bench -- --cpu-prof DIR` and prints where the
 * server's main thread spent a phase: self and inclusive time per function, and self time per file.
 * Usage: node --import tsx bench/profile-summary.ts PROFILE [--results FILE] [--phase confirmSignUp] [--top N]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot } from './processes.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Summary {
  windowMs: number;
  byFunctionSelf: [string, number][];
  byFunctionTotal: [string, number][];
  byFileSelf: [string, number][];
}

function place(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const local = relative(repoRoot, path);
  return local.startsWith('..') ? url : local.replace(/^node_modules\/(\.pnpm\/)?/u, 'node_modules/');
}

/** Function and file; no line, because tsx's transpiled line numbers do not match the source. */
function frameKey(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  return url ? `${functionName || '(anonymous)'} ${place(url)}` : functionName || '(anonymous)';
}

/** Times in milliseconds, limited to samples taken between `from` and `to` (profile clock, µs). */
export function summarise(profile: Profile, from = -Infinity, to = Infinity): Summary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let time = profile.startTime;
  let windowMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    if (time < from || time > to) continue;
    const ms = delta / 1000;
    windowMs += ms;
    const leaf = byId.get(profile.samples[i]!)!;
    add(self, frameKey(leaf), ms);
    add(files, leaf.callFrame.url ? place(leaf.callFrame.url) : frameKey(leaf), ms);
    // Each function counts once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const key = frameKey(byId.get(id)!);
      if (!seen.has(key)) add(total, key, ms);
      seen.add(key);
    }
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { windowMs, byFunctionSelf: sorted(self), byFunctionTotal: sorted(total), byFileSelf: sorted(files) };
}

function render(title: string, rows: [string, number][], windowMs: number, top: number): string {
  const lines = rows.slice(0, top).map(([key, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((ms / windowMs) * 100).toFixed(1).padStart(5)}%  ${key}`);
  return [`${title}:`, ...lines].join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { results: { type: 'string' }, phase: { type: 'string' }, top: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: node --import tsx bench/profile-summary.ts PROFILE [--results FILE] [--phase signUp|confirmSignUp] [--top N]');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  let from: number | undefined;
  let to: number | undefined;
  if (values.results) {
    const results = JSON.parse(readFileSync(values.results, 'utf8')) as { phaseWindows?: Record<string, [number, number]> };
    const window = results.phaseWindows?.[values.phase ?? 'confirmSignUp'];
    if (!window) throw new Error(`${values.results} has no window for the phase ${values.phase ?? 'confirmSignUp'}`);
    [from, to] = window;
  }
  const top = Number(values.top ?? 25);
  const summary = summarise(profile, from, to);
  console.log(`${summary.windowMs.toFixed(0)} ms of samples${from === undefined ? ' (whole profile)' : ` in the ${values.phase ?? 'confirmSignUp'} phase`}\n`);
  console.log(render('self time by function', summary.byFunctionSelf, summary.windowMs, top));
  console.log();
  console.log(render('inclusive time by function', summary.byFunctionTotal, summary.windowMs, top));
  console.log();
  console.log(render('self time by file', summary.byFileSelf, summary.windowMs, top));
}

main();
