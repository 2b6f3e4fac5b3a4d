import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDeletable, checkMutable, checkRequired, checkValues, checkWritable, valueViolation } from './attribute-rules.ts';
import { declareAttributes, schemaByName } from './attribute-schema.ts';

const schema = schemaByName(
  declareAttributes(
    [],
    [
      { Name: 'given_name', Required: true, Mutable: true },
      { Name: 'tier', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
      { Name: 'level', AttributeDataType: 'Number', Mutable: true, NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
      { Name: 'badge', AttributeDataType: 'String' },
      { Name: 'member', AttributeDataType: 'Boolean', Mutable: true },
      { Name: 'legacy', AttributeDataType: 'String', DeveloperOnlyAttribute: true, Mutable: true },
    ],
    'create',
  ),
);
const invalid = (message: string) => ({ name: 'InvalidParameterException', message });
const unauthorized = { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' };
const admin = { userFacing: false, changesExistingUser: false };
const user = (writable?: string[]) => ({ userFacing: true, changesExistingUser: false, writable });

test('a value is held to its declaration: lengths, numbers and bounds, unknown names', () => {
  assert.equal(valueViolation(schema.get('custom:tier'), 'custom:tier', 'gold'), undefined);
  assert.equal(valueViolation(schema.get('custom:tier'), 'custom:tier', 'g'), 'custom:tier: String must be at least 2 characters long.');
  assert.equal(valueViolation(schema.get('custom:tier'), 'custom:tier', 'platinum'), 'custom:tier: String must be no longer than 5 characters.');
  assert.equal(valueViolation(schema.get('custom:level'), 'custom:level', '7'), undefined);
  assert.equal(valueViolation(schema.get('custom:level'), 'custom:level', '7.5'), undefined);
  assert.equal(valueViolation(schema.get('custom:level'), 'custom:level', 'seven'), 'custom:level: Number must be a valid number.');
  assert.equal(valueViolation(schema.get('custom:level'), 'custom:level', '0'), 'custom:level: Number must be no less than 1.');
  assert.equal(valueViolation(schema.get('custom:level'), 'custom:level', '11'), 'custom:level: Number must be no greater than 10.');
  assert.equal(valueViolation(schema.get('custom:badge'), 'custom:badge', 'x'.repeat(2048)), undefined);
  assert.equal(valueViolation(schema.get('custom:badge'), 'custom:badge', 'x'.repeat(2049)), 'custom:badge: String must be no longer than 2048 characters.');
  assert.equal(valueViolation(schema.get('custom:member'), 'custom:member', 'true'), 'custom:member: Attributes of type Boolean cannot be given a value.');
  assert.equal(valueViolation(schema.get('email_verified'), 'email_verified', 'true'), undefined);
  assert.equal(valueViolation(schema.get('updated_at'), 'updated_at', 'yesterday'), 'updated_at: Number must be a valid number.');
  assert.equal(valueViolation(undefined, 'custom:nope', 'x'), 'custom:nope: Attribute does not exist in the schema.');
});

test('every violation of a write is reported in one message, one line each, in request order', () => {
  assert.throws(
    () => checkValues(schema, { 'custom:nope': 'x', 'custom:level': '99', name: 'ok', 'custom:tier': 'g' }),
    invalid(
      'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n' +
        'custom:level: Number must be no greater than 10.\ncustom:tier: String must be at least 2 characters long.\n',
    ),
  );
  checkValues(schema, { 'custom:tier': 'gold', 'custom:level': '3', name: 'Jane' });
});

test("a client's WriteAttributes limit user-facing writes; required attributes stay writable; dev: never is", () => {
  checkWritable(schema, ['dev:custom:legacy', 'custom:nope'], admin);
  checkWritable(schema, ['custom:tier', 'name'], user());
  checkWritable(schema, ['custom:tier'], user([]));
  assert.throws(() => checkWritable(schema, ['dev:custom:legacy'], user()), unauthorized);
  assert.throws(() => checkWritable(schema, ['email_verified'], user()), unauthorized);
  assert.throws(() => checkWritable(schema, ['phone_number_verified'], user(['phone_number_verified'])), unauthorized);
  checkWritable(schema, ['email_verified'], admin);
  checkWritable(schema, ['custom:tier', 'given_name'], user(['custom:tier']));
  assert.throws(() => checkWritable(schema, ['custom:tier', 'name'], user(['custom:tier'])), unauthorized);
  assert.throws(() => checkWritable(schema, ['custom:nope'], user(['custom:tier'])), unauthorized);
});

test('immutable attributes are set at creation only', () => {
  checkMutable(schema, ['custom:badge'], user());
  checkMutable(schema, ['custom:badge'], admin);
  checkMutable(schema, ['custom:tier', 'name'], { ...admin, changesExistingUser: true });
  assert.throws(() => checkMutable(schema, ['custom:badge'], { ...admin, changesExistingUser: true }), invalid('Cannot modify the non-mutable attribute custom:badge'));
});

test('required attributes must be present at creation and cannot be deleted; unknown names cannot be deleted', () => {
  assert.throws(() => checkRequired(schema, { name: 'x' }), invalid('Attributes did not conform to the schema: given_name: The attribute is required.\n'));
  assert.throws(() => checkRequired(schema, { given_name: '' }), invalid('Attributes did not conform to the schema: given_name: The attribute is required.\n'));
  checkRequired(schema, { given_name: 'Jane' });
  assert.throws(
    () => checkDeletable(schema, ['given_name', 'custom:nope', 'name']),
    invalid('Attributes did not conform to the schema: given_name: The attribute is required.\ncustom:nope: Attribute does not exist in the schema.\n'),
  );
  checkDeletable(schema, ['name', 'custom:tier']);
});
