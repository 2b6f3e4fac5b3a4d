import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declareAttributes } from '../../domain/attribute-schema.ts';
import type { ClientRecord, PoolRecord } from '../../domain/records.ts';
import { checkAttributeDeletion, checkUserAttributes, readableAttributes } from './attributes.ts';

const pool: PoolRecord = {
  id: 'us-east-1_abc',
  name: 'p',
  settings: {
    Schema: declareAttributes(
      [],
      [
        { Name: 'given_name', Required: true, Mutable: true },
        { Name: 'tier', AttributeDataType: 'String', Mutable: true },
        { Name: 'badge', AttributeDataType: 'String', Mutable: false },
      ],
      'create',
    ),
  },
  limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 },
  createdAt: 0,
  updatedAt: 0,
};
const client = (settings: Record<string, unknown>): ClientRecord => ({ clientId: 'c', poolId: pool.id, name: 'c', settings, secrets: [], createdAt: 0, updatedAt: 0 });
const invalid = (message: string) => ({ name: 'InvalidParameterException', message });
const unauthorized = { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' };

test('an existing user keeps immutable attributes, from user-facing and admin calls alike', () => {
  checkUserAttributes(pool, { 'custom:badge': 'b' });
  checkUserAttributes(pool, { 'custom:badge': 'b' }, { client: client({}) });
  const existing = { 'custom:badge': 'b' };
  assert.throws(() => checkUserAttributes(pool, { 'custom:badge': 'c' }, { existing }), invalid('Cannot modify the non-mutable attribute custom:badge'));
  assert.throws(() => checkUserAttributes(pool, { 'custom:badge': 'c' }, { client: client({}), existing: {} }), invalid('Cannot modify the non-mutable attribute custom:badge'));
  checkUserAttributes(pool, { 'custom:tier': 'gold', name: 'Jo' }, { existing });
});

test('a user-facing write is limited by WriteAttributes before anything else; an admin write is not', () => {
  const limited = client({ WriteAttributes: ['name'] });
  assert.throws(() => checkUserAttributes(pool, { 'custom:tier': 'x' }, { client: limited, existing: {} }), unauthorized);
  checkUserAttributes(pool, { 'custom:tier': 'x' }, { existing: {} });
  checkUserAttributes(pool, { given_name: 'Jo' }, { client: limited, existing: {} });
});

test('deletion: names in the schema the caller may write, never required, immutable or sub', () => {
  checkAttributeDeletion(pool, ['name', 'custom:tier'], { existing: {} });
  assert.throws(() => checkAttributeDeletion(pool, ['given_name'], { existing: {} }), invalid('Attributes did not conform to the schema: given_name: The attribute is required.\n'));
  assert.throws(() => checkAttributeDeletion(pool, ['custom:nope'], { existing: {} }), invalid('Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n'));
  assert.throws(() => checkAttributeDeletion(pool, ['custom:badge'], { existing: {} }), invalid('Cannot modify the non-mutable attribute custom:badge'));
  assert.throws(() => checkAttributeDeletion(pool, ['sub'], { existing: {} }), invalid('Cannot modify the non-mutable attribute sub'));
  assert.throws(() => checkAttributeDeletion(pool, ['custom:tier'], { client: client({ WriteAttributes: ['name'] }), existing: {} }), unauthorized);
});

test('ReadAttributes: none or empty reads everything; a list reads those and sub', () => {
  assert.equal(readableAttributes(undefined), undefined);
  assert.equal(readableAttributes(client({ ReadAttributes: [] })), undefined);
  assert.deepEqual(readableAttributes(client({ ReadAttributes: ['email'] })), ['sub', 'email']);
});
