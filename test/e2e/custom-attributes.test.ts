/**
 * @module Declaring custom attributes (docs/custom-attributes.md): CreateUserPool's Schema,
 * AddCustomAttributes, and DescribeUserPool's SchemaAttributes in Cognito's shape.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
  type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects } from '../helpers/cognito.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const invalid = (message: string) => ({ type: 'InvalidParameterException', message });

describe('custom attributes: declarations', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  const newPool = async (Schema?: SchemaAttributeType[]) => (await idp.send(new CreateUserPoolCommand({ PoolName: 'custom', Schema }))).UserPool!;
  const schemaOf = async (poolId: string) => (await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.SchemaAttributes!;

  it('lists declared attributes after the standard ones, custom: prefixed and every member present', async () => {
    const created = await newPool([
      { Name: 'tier', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '16' } },
      { Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
      { Name: 'note', AttributeDataType: 'String' },
      { Name: 'email', Required: true },
    ]);
    const schema = await schemaOf(created.Id!);
    assert.deepEqual(created.SchemaAttributes, schema, 'CreateUserPool answers with the schema DescribeUserPool gives');
    assert.equal(schema[0]!.Name, 'sub');
    assert.deepEqual(schema.slice(-3), [
      { Name: 'custom:tier', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MinLength: '1', MaxLength: '16' } },
      { Name: 'custom:age', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: false, Required: false, NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
      { Name: 'custom:note', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: false, Required: false, StringAttributeConstraints: {} },
    ]);
    // A standard name in Schema re-declares the standard attribute; omitted booleans are false.
    assert.deepEqual(schema.find((a) => a.Name === 'email'), {
      Name: 'email', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: false, Required: true, StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' },
    });
    assert.equal(schema.filter((a) => a.Name === 'email' || a.Name === 'custom:email').length, 1);
  });

  it('AddCustomAttributes appends new attributes that users can then be given', async () => {
    const pool = await newPool([{ Name: 'tier', AttributeDataType: 'String', Mutable: true }]);
    await assertRejects(
      () => idp.send(new AdminCreateUserCommand({ UserPoolId: pool.Id!, Username: 'early', UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }] })),
      invalid('Attributes did not conform to the schema: custom:plan: Attribute does not exist in the schema.\n'),
    );
    const added = await idp.send(new AddCustomAttributesCommand({
      UserPoolId: pool.Id!,
      CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }, { Name: 'seats', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1' } }],
    }));
    assert.deepEqual(Object.keys(added).filter((k) => k !== '$metadata'), []);
    const schema = await schemaOf(pool.Id!);
    assert.deepEqual(schema.slice(-3).map((a) => a.Name), ['custom:tier', 'custom:plan', 'custom:seats']);
    const described = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id! }))).UserPool!;
    assert.ok(described.LastModifiedDate!.getTime() >= described.CreationDate!.getTime());
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: pool.Id!, Username: 'later', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }, { Name: 'custom:seats', Value: '5' }],
    }));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: pool.Id!, Username: 'later' }));
    assert.deepEqual(user.UserAttributes!.filter((a) => a.Name!.startsWith('custom:')), [{ Name: 'custom:plan', Value: 'pro' }, { Name: 'custom:seats', Value: '5' }]);
  });

  it('custom attributes cannot be changed or declared twice, and a custom: name is prefixed again as Cognito does', async () => {
    const pool = await newPool([{ Name: 'tier', AttributeDataType: 'String', Mutable: true }]);
    await assertRejects(
      () => idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: [{ Name: 'tier', AttributeDataType: 'Number', Mutable: false }] })),
      invalid('custom:tier: Existing attribute already has name custom:tier.'),
    );
    await idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: [{ Name: 'custom:x', AttributeDataType: 'String' }] }));
    const schema = await schemaOf(pool.Id!);
    assert.equal(schema.find((a) => a.Name === 'custom:tier')?.AttributeDataType, 'String');
    assert.deepEqual(schema.slice(-2).map((a) => a.Name), ['custom:tier', 'custom:custom:x']);
  });

  it('refuses declarations Cognito refuses, in CreateUserPool and AddCustomAttributes alike', async () => {
    const pool = await newPool();
    for (const [attribute, message] of [
      [{ Name: 'x' }, 'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'],
      [{ Name: 'x', AttributeDataType: 'String', Required: true }, 'Required custom attributes are not supported currently.'],
      [{ Name: 'x', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '4096' } }, 'user.custom:x: String attributes cannot have a length of more than 2048'],
      [{ Name: 'x', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '9', MaxLength: '3' } }, 'user.custom:x: Max length cannot be less than min length.'],
      [{ Name: 'x', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '9', MaxValue: '3' } }, 'user.custom:x: Max value cannot be less than min value.'],
    ] as [SchemaAttributeType, string][]) {
      await assertRejects(() => newPool([attribute]), invalid(message));
      await assertRejects(() => idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: [attribute] })), invalid(message));
    }
    await assertRejects(() => newPool([{ Name: 'email', AttributeDataType: 'Number' }]), invalid('You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email'));
    await assertRejects(
      () => idp.send(new AddCustomAttributesCommand({ UserPoolId: 'us-east-1_missing000', CustomAttributes: [{ Name: 'x', AttributeDataType: 'String' }] })),
      { type: 'ResourceNotFoundException', message: 'User pool us-east-1_missing000 does not exist.' },
    );
    assert.equal((await schemaOf(pool.Id!)).some((a) => a.Name!.startsWith('custom:')), false, 'a refused request adds nothing');
  });

  it('holds a pool to 50 custom attributes, however they were added', async () => {
    const attributes = (from: number, n: number): SchemaAttributeType[] => Array.from({ length: n }, (_, i) => ({ Name: `a${from + i}`, AttributeDataType: 'String' }));
    const pool = await newPool(attributes(0, 30));
    await idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: attributes(30, 20) }));
    await assertRejects(
      () => idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: attributes(50, 1) })),
      invalid('A user pool can have at most 50 custom attributes.'),
    );
    assert.equal((await schemaOf(pool.Id!)).filter((a) => a.Name!.startsWith('custom:')).length, 50);
  });

  it('concurrent AddCustomAttributes calls all land', async () => {
    const pool = await newPool();
    await Promise.all(Array.from({ length: 10 }, (_, i) =>
      idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: [{ Name: `c${i}`, AttributeDataType: 'String' }] })),
    ));
    const names = (await schemaOf(pool.Id!)).map((a) => a.Name!).filter((n) => n.startsWith('custom:')).sort();
    assert.deepEqual(names, Array.from({ length: 10 }, (_, i) => `custom:c${i}`).sort());
  });
});
