import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declareAttributes } from '../../domain/attribute-schema.ts';
import type { PoolRecord } from '../../domain/records.ts';
import { clientSettings } from './client-settings.ts';

const pool: PoolRecord = {
  id: 'us-east-1_abc',
  name: 'p',
  settings: { Schema: declareAttributes([], [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }], 'create') },
  limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 },
  createdAt: 0,
  updatedAt: 0,
};
const invalid = (message: string) => ({ name: 'InvalidParameterException', message });

test('ReadAttributes and WriteAttributes must name attributes of the pool', () => {
  const ok = { ReadAttributes: ['email', 'email_verified', 'custom:tier', 'sub'], WriteAttributes: ['email', 'custom:tier'] };
  assert.deepEqual(clientSettings({ UserPoolId: pool.id, ClientName: 'c', ...ok }, false, pool), ok);
  assert.throws(() => clientSettings({ ReadAttributes: ['custom:nope'] }, false, pool), invalid('Invalid read attributes specified while creating a client'));
  assert.throws(() => clientSettings({ WriteAttributes: ['tier'] }, false, pool, 'updating'), invalid('Invalid write attributes specified while updating a client'));
  assert.throws(() => clientSettings({ WriteAttributes: ['sub'] }, false, pool), invalid('Invalid write attributes specified while creating a client'));
  assert.deepEqual(clientSettings({ ReadAttributes: [], WriteAttributes: [] }, false, pool), { ReadAttributes: [], WriteAttributes: [] });
  assert.deepEqual(clientSettings({ ReadAttributes: ['custom:nope'] }, false), { ReadAttributes: ['custom:nope'] }, 'without the pool nothing is checked');
});
