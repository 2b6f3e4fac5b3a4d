/** @module Unit tests for log redaction. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactInput } from './redact.ts';

test('ConfirmSignUp: username, secret hash, session and code never survive; client metadata does', () => {
  const out = redactInput('ConfirmSignUp', {
    ClientId: 'abc',
    Username: 'alice',
    ConfirmationCode: '123456',
    SecretHash: 'h',
    Session: 's'.repeat(30),
    UserContextData: { IpAddress: '1.2.3.4' },
    ClientMetadata: { k: 'v' },
  });
  assert.deepEqual(out, {
    ClientId: '***',
    Username: '***',
    ConfirmationCode: '***',
    SecretHash: '***',
    Session: '***',
    UserContextData: '***',
    ClientMetadata: { k: 'v' },
  });
});

test('SignUp: list members are hidden element by element, and the input is not modified', () => {
  const input = { ClientId: 'abc', Username: 'bob', Password: 'Secret-1', UserAttributes: [{ Name: 'email', Value: 'b@example.com' }] };
  const out = redactInput('SignUp', input);
  assert.deepEqual(out.UserAttributes, [{ Name: 'email', Value: '***' }]);
  assert.equal(out.Password, '***');
  assert.equal(input.Password, 'Secret-1');
});
