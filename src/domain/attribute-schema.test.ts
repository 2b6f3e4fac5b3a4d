import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declareAttributes, MAX_CUSTOM_ATTRIBUTES, poolSchema, STANDARD_SCHEMA, storedDeclarations } from './attribute-schema.ts';

const refusal = (message: string | RegExp) => ({ name: 'InvalidParameterException', message });

test('a Schema entry with a standard name re-declares it; Mutable and Required default to false as Cognito does', () => {
  const [email] = declareAttributes([], [{ Name: 'email', Required: true }], 'create');
  assert.deepEqual(email, { ...STANDARD_SCHEMA.find((a) => a.Name === 'email'), Mutable: false, Required: true });
  const schema = poolSchema([email]);
  assert.equal(schema.length, STANDARD_SCHEMA.length, 'no custom:email was added');
  assert.equal(schema.find((a) => a.Name === 'email')?.Required, true);
});

test('other names become custom: attributes with their constraints; a custom: name is prefixed again', () => {
  const declared = declareAttributes(
    [],
    [
      { Name: 'tier', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '8' } },
      { Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
      { Name: 'custom:x', AttributeDataType: 'String' },
      { Name: 'flag', AttributeDataType: 'Boolean' },
      { Name: 'email_verified', AttributeDataType: 'String' },
    ],
    'create',
  );
  assert.deepEqual(declared.map((a) => a.Name), ['custom:tier', 'custom:age', 'custom:custom:x', 'custom:flag', 'custom:email_verified']);
  assert.deepEqual(declared[0], {
    Name: 'custom:tier', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false,
    StringAttributeConstraints: { MinLength: '1', MaxLength: '8' },
  });
  assert.deepEqual(declared[1]?.NumberAttributeConstraints, { MinValue: '0', MaxValue: '150' });
  assert.equal(declared[1]?.Mutable, false);
  assert.deepEqual(declared[2]?.StringAttributeConstraints, {}, 'a String attribute without constraints reports an empty set');
  assert.equal(declared[3]?.StringAttributeConstraints, undefined);
  assert.equal(declareAttributes([], [{ Name: 'old', AttributeDataType: 'String', DeveloperOnlyAttribute: true }], 'create')[0]?.Name, 'dev:custom:old');
});

test('AddCustomAttributes makes every name custom, even a standard one, and appends after what exists', () => {
  const current = declareAttributes([], [{ Name: 'a', AttributeDataType: 'String' }], 'create');
  assert.deepEqual(declareAttributes(current, [{ Name: 'address', AttributeDataType: 'String' }], 'add').map((a) => a.Name), ['custom:a', 'custom:address']);
});

test('refuses what Cognito refuses when declaring', () => {
  assert.throws(() => declareAttributes([], [{ Name: 'x' }], 'create'), refusal('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'));
  assert.throws(() => declareAttributes([], [{ Name: 'x', AttributeDataType: 'String', Required: true }], 'add'), refusal('Required custom attributes are not supported currently.'));
  assert.throws(() => declareAttributes([], [{ Name: 'email', AttributeDataType: 'Number' }], 'create'), refusal(/standard schema attribute email$/u));
  const tier = declareAttributes([], [{ Name: 'tier', AttributeDataType: 'String' }], 'create');
  assert.throws(() => declareAttributes(tier, [{ Name: 'tier', AttributeDataType: 'Number' }], 'add'), refusal('custom:tier: Existing attribute already has name custom:tier.'));
  assert.throws(
    () => declareAttributes([], [{ Name: 't', AttributeDataType: 'String' }, { Name: 't', AttributeDataType: 'String' }], 'create'),
    refusal('custom:t: Existing attribute already has name custom:t.'),
  );
  const strings = (c: Record<string, string>) => declareAttributes([], [{ Name: 's', AttributeDataType: 'String', StringAttributeConstraints: c }], 'create');
  assert.throws(() => strings({ MaxLength: '2049' }), refusal('user.custom:s: String attributes cannot have a length of more than 2048'));
  assert.throws(() => strings({ MinLength: '5', MaxLength: '4' }), refusal('user.custom:s: Max length cannot be less than min length.'));
  assert.throws(() => strings({ MinLength: 'ten' }), refusal('Invalid StringAttributeConstraints for schema attribute custom:s'));
  const numbers = (c: Record<string, string>) => declareAttributes([], [{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: c }], 'create');
  assert.throws(() => numbers({ MinValue: '10', MaxValue: '9' }), refusal('user.custom:n: Max value cannot be less than min value.'));
  assert.equal(numbers({ MinValue: '-5', MaxValue: '2.5' })[0]?.NumberAttributeConstraints?.MinValue, '-5');
  assert.throws(() => declareAttributes([], [{ AttributeDataType: 'String' }], 'add'), refusal(/Value null at 'customAttributes.1.member.name'/u));
});

test(`holds a pool to ${MAX_CUSTOM_ATTRIBUTES} custom attributes, counting what it has`, () => {
  const names = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Name: `a${from + i}`, AttributeDataType: 'String' }));
  const full = declareAttributes([], names(0, MAX_CUSTOM_ATTRIBUTES), 'create');
  assert.equal(full.length, MAX_CUSTOM_ATTRIBUTES);
  assert.throws(() => declareAttributes(full, names(100, 1), 'add'), refusal(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`));
  assert.equal(declareAttributes([], [{ Name: 'email', Required: true }, ...names(0, MAX_CUSTOM_ATTRIBUTES - 1)], 'create').length, MAX_CUSTOM_ATTRIBUTES);
});

test('reads the Schema of pools stored before declarations were kept whole as they were described then', () => {
  const legacy = [{ Name: 'team', AttributeDataType: 'String', Mutable: true }, { Name: 'custom:kept', AttributeDataType: 'Number' }];
  assert.deepEqual(storedDeclarations(legacy).map((a) => [a.Name, a.AttributeDataType, a.Mutable, a.Required]), [
    ['custom:team', 'String', true, false],
    ['custom:kept', 'Number', false, false],
  ]);
  assert.deepEqual(storedDeclarations('junk'), []);
  const schema = poolSchema(legacy);
  assert.deepEqual(schema.slice(-2).map((a) => a.Name), ['custom:team', 'custom:kept']);
  assert.equal(schema[0]?.Name, 'sub');
});
