/** @module The trigger log's ring and the runner's observer hook: what a run leaves, and that a failing listener changes nothing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolRecord } from '../domain/records.ts';
import { ModuleInvoker } from '../triggers/module-invoker.ts';
import { TriggerRunner, type TriggerInvocation } from '../triggers/runner.ts';
import type { TriggerEvent } from '../triggers/triggers.ts';
import { TriggerLog } from './trigger-log.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up';
const fixture = new URL('../../test/fixtures/triggers/pre-sign-up.mjs', import.meta.url).pathname;
const pool = { id: 'us-east-1_log', name: 'log', settings: { LambdaConfig: { PreSignUp: ARN } }, limits: {}, createdAt: 0, updatedAt: 0 } as unknown as PoolRecord;

function event(clientMetadata?: Record<string, string>): TriggerEvent {
  return {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: pool.id,
    userName: 'ann',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'c' },
    request: { userAttributes: { email: 'ann-private@example.com' }, validationData: null, ...(clientMetadata ? { clientMetadata } : {}) },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

const invocation = (n: number): TriggerInvocation => ({ at: n, poolId: 'p', trigger: 'PreSignUp', source: 'PreSignUp_SignUp', functionArn: ARN, ms: 1, attempts: 1, outcome: 'ok' });

describe('trigger log', () => {
  it('keeps the newest runs up to its capacity, newest first, and counts them all', () => {
    const log = new TriggerLog(3);
    assert.deepEqual(log.recent(), []);
    for (let n = 1; n <= 5; n++) log.record(invocation(n));
    assert.deepEqual(log.recent().map((r) => r.at), [5, 4, 3]);
    assert.equal(log.total, 5);
  });

  it("records a run's metadata, never its event; a listener that throws changes nothing for the caller", async () => {
    const runner = new TriggerRunner({ invokerFor: () => new ModuleInvoker(fixture) });
    const log = new TriggerLog();
    runner.watch(() => {
      throw new Error('a broken listener');
    });
    runner.watch(log.record);
    const response = await runner.run(pool, 'PreSignUp', event());
    assert.deepEqual(response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    await assert.rejects(runner.run(pool, 'PreSignUp', event({ reject: 'not today' })), /PreSignUp failed with error not today/u);

    const [refused, ok] = log.recent();
    assert.deepEqual({ ...ok, at: 0, ms: 0 }, { at: 0, poolId: pool.id, trigger: 'PreSignUp', source: 'PreSignUp_SignUp', functionArn: ARN, ms: 0, attempts: 1, outcome: 'ok' });
    assert.equal(refused?.outcome, 'function-error');
    assert.equal(refused?.error, 'not today');
    assert.doesNotMatch(JSON.stringify(log.recent()), /ann-private/u, 'the event was kept');
  });
});
