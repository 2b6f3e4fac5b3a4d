/** @module Concurrent calls and what each got, for tests that race several calls (or instances) against one another. */

export type Outcome = { ok: true } | { ok: false; type: string; message: string };

/** Runs every call at once and reports each outcome as the SDK saw it. */
export async function outcomes(calls: (() => Promise<unknown>)[]): Promise<Outcome[]> {
  const settled = await Promise.allSettled(calls.map((call) => call()));
  return settled.map((s) => (s.status === 'fulfilled' ? { ok: true } : { ok: false, type: (s.reason as Error).name, message: (s.reason as Error).message }));
}

/** How many calls ended each way: `ok`, or `<type>: <message>`. */
export function tally(results: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? 'ok' : `${r.type}: ${r.message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
