/** @module The benchmark comparison: which figures count as worse, and which runs cannot be compared. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compare, cpuPerRequestUs, mismatch } from '../../bench/compare.ts';
import type { BenchResults } from '../../bench/report.ts';

const baseline = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'bench', 'results', 'baseline-sqlite.json'), 'utf8')) as BenchResults;

function variant(change: (r: BenchResults) => void): BenchResults {
  const copy = structuredClone(baseline);
  change(copy);
  return copy;
}

describe('bench:compare', () => {
  it('finds nothing worse when a run is compared with itself', () => {
    const verdicts = compare(baseline, baseline, 0.15);
    assert.ok(verdicts.length >= 8, 'the baseline has SignUp and ConfirmSignUp figures');
    assert.deepEqual(verdicts.filter((v) => v.regressed), []);
  });

  it('flags a slower ConfirmSignUp and a higher latency, but not a change within the tolerance', () => {
    const run = variant((r) => {
      r.confirmSignUp.rps *= 0.8;
      r.confirmSignUp.p99Ms *= 1.3;
      r.signUp.rps *= 0.9;
    });
    const worse = compare(baseline, run, 0.15).filter((v) => v.regressed).map((v) => v.name);
    assert.deepEqual(worse, ['ConfirmSignUp req/s', 'ConfirmSignUp p99 ms']);
  });

  it('counts lower latency and CPU as better', () => {
    const run = variant((r) => {
      r.confirmSignUp.p50Ms /= 2;
      r.confirmSignUp.serverCpuUsPerRequest = cpuPerRequestUs(baseline.confirmSignUp)! / 2;
    });
    const cpu = compare(baseline, run, 0.15).find((v) => v.name === 'ConfirmSignUp server CPU µs per request')!;
    assert.ok(Math.abs(cpu.change - 0.5) < 1e-9);
    assert.equal(cpu.regressed, false);
  });

  it('reads the CPU per request of results that only carry the percentage', () => {
    const p = variant((r) => delete r.confirmSignUp.serverCpuUsPerRequest).confirmSignUp;
    assert.ok(Math.abs(cpuPerRequestUs(p)! - ((p.serverCpuPercent! / 100) * p.seconds * 1e6) / p.requests) < 1e-9);
  });

  it('refuses to compare runs of another concurrency or backend', () => {
    assert.match(mismatch(baseline, variant((r) => (r.setup.concurrency = 16)))!, /concurrency/u);
    assert.match(mismatch(baseline, variant((r) => (r.setup.backend = 'postgres')))!, /backend/u);
    assert.equal(mismatch(baseline, baseline), undefined);
  });
});
