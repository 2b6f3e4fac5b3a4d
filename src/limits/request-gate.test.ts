/** @module The request gate with the time as an argument: quotas as token buckets (spec §8) and first-match request rules (spec §9). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestGate } from './request-gate.ts';

const T0 = 1_700_000_000_000;
const typeOf = (f: () => void) => {
  try {
    f();
    return 'passed';
  } catch (error) {
    return `${(error as { type: string }).type}: ${(error as Error).message}`;
  }
};

test('UserCreation covers SignUp, ConfirmSignUp, AdminCreateUser, AdminConfirmSignUp and (our guess) ResendConfirmationCode', () => {
  const gate = new RequestGate({ quotas: { UserCreation: 5 } });
  const ops = ['SignUp', 'ConfirmSignUp', 'AdminCreateUser', 'AdminConfirmSignUp', 'ResendConfirmationCode'];
  for (const op of ops) assert.equal(typeOf(() => gate.checkRate(op, T0)), 'passed', op);
  for (const op of ops) assert.equal(typeOf(() => gate.checkRate(op, T0)), 'TooManyRequestsException: Rate exceeded', op);
  assert.equal(typeOf(() => gate.checkRate('AdminGetUser', T0)), 'passed', 'other categories are unlimited unless configured');
});

test('the bucket refills at the configured rate', () => {
  const gate = new RequestGate({ quotas: { UserCreation: 2 } });
  gate.checkRate('SignUp', T0);
  gate.checkRate('SignUp', T0);
  assert.equal(typeOf(() => gate.checkRate('SignUp', T0 + 100)), 'TooManyRequestsException: Rate exceeded');
  assert.equal(typeOf(() => gate.checkRate('SignUp', T0 + 600)), 'passed');
  assert.equal(typeOf(() => gate.checkRate('SignUp', T0 + 600)), 'TooManyRequestsException: Rate exceeded');
});

test('no quotas means no limit', () => {
  const gate = new RequestGate({});
  for (let i = 0; i < 1000; i++) gate.checkRate('ConfirmSignUp', T0);
});

test('per-address buckets are separate per address', () => {
  const gate = new RequestGate({ perAddress: 1 });
  gate.checkRate('ConfirmSignUp', T0, '198.51.100.1');
  gate.checkRate('ConfirmSignUp', T0, '198.51.100.2');
  assert.equal(typeOf(() => gate.checkRate('ConfirmSignUp', T0, '198.51.100.1')), 'TooManyRequestsException: Rate exceeded');
});

test('rules: first match wins, by CIDR (IPv4 and IPv6) and by operation; otherwise the default action', () => {
  const gate = new RequestGate({
    rules: {
      p: {
        rules: [
          { action: 'allow', cidrs: ['127.0.0.1/32'] },
          { action: 'block', cidrs: ['127.0.0.0/8', '2001:db8::/32'] },
          { action: 'block', operations: ['ConfirmSignUp'] },
        ],
        defaultAction: 'allow',
      },
      closed: { rules: [], defaultAction: 'block' },
    },
  });
  const waf = 'ForbiddenException: Request not allowed due to WAF block.';
  assert.equal(typeOf(() => gate.checkRules('p', 'ConfirmSignUp', '127.0.0.1')), 'passed');
  assert.equal(typeOf(() => gate.checkRules('p', 'SignUp', '127.0.0.2')), waf);
  assert.equal(typeOf(() => gate.checkRules('p', 'SignUp', '2001:db8::5')), waf);
  assert.equal(typeOf(() => gate.checkRules('p', 'SignUp', '203.0.113.9')), 'passed');
  assert.equal(typeOf(() => gate.checkRules('p', 'ConfirmSignUp', '203.0.113.9')), waf);
  assert.equal(typeOf(() => gate.checkRules('closed', 'SignUp', '203.0.113.9')), waf);
  assert.equal(typeOf(() => gate.checkRules('unruled', 'SignUp', '127.0.0.2')), 'passed');
});

test('rules that could never do what they say are refused at start', () => {
  const build = (rules: unknown, defaultAction?: unknown) => typeOf(() => new RequestGate({ rules: { p: { rules, defaultAction } as never } }));
  assert.match(build([{ action: 'deny' }]), /rules\[0\]\.action must be "allow" or "block", got "deny"/u);
  assert.match(build([], 'reject'), /defaultAction must be "allow" or "block"/u);
  assert.match(build([{ action: 'block', operations: ['ConfirmSignup'] }]), /"ConfirmSignup" is not a Cognito operation name/u);
  assert.match(build([{ action: 'block', cidrs: ['300.0.0.0/8'] }]), /"300.0.0.0\/8" is not an IP address or CIDR block/u);
  assert.match(build([{ action: 'block', cidrs: ['10.0.0.0/33'] }]), /is not an IP address or CIDR block/u);
  assert.match(build([{ action: 'block', cidrs: ['10.0.0.0/8/1'] }]), /is not an IP address or CIDR block/u);
  assert.equal(build([{ action: 'block', cidrs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'], operations: ['SignUp'] }]), 'passed');
  assert.equal(build([]), 'passed', 'defaultAction may be omitted: allow');
});

test('a caller refused by its own address bucket spends none of the category quota others share', () => {
  const gate = new RequestGate({ quotas: { UserCreation: 5 }, perAddress: 2 });
  for (let i = 0; i < 100; i++) {
    try {
      gate.checkRate('SignUp', T0, '198.51.100.66');
    } catch {
      // the flood is refused; what matters is the quota left for others
    }
  }
  const others = ['198.51.100.1', '198.51.100.2', '198.51.100.3'].map((address) => typeOf(() => gate.checkRate('SignUp', T0, address)));
  assert.deepEqual(others, ['passed', 'passed', 'passed']);
});
