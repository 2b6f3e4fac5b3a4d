/**
 * @module Attribute values against the schema on the ways users are created (docs/custom-attributes.md):
 * types and bounds, required attributes, and an app client's WriteAttributes on SignUp.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  SignUpCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SCHEMA = [
  { Name: 'given_name', Required: true, Mutable: true },
  { Name: 'tier', AttributeDataType: 'String' as const, Mutable: true, StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
  { Name: 'seats', AttributeDataType: 'Number' as const, Mutable: true, NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
  { Name: 'badge', AttributeDataType: 'String' as const, Mutable: false },
  { Name: 'member', AttributeDataType: 'Boolean' as const, Mutable: true },
  { Name: 'legacy', AttributeDataType: 'String' as const, DeveloperOnlyAttribute: true, Mutable: true },
];
const invalid = (message: string) => ({ type: 'InvalidParameterException', message });
const conforming = (...lines: string[]) => invalid(`Attributes did not conform to the schema: ${lines.map((l) => `${l}\n`).join('')}`);
const unauthorized = { type: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' };

describe('custom attributes: values', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let n = 0;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, { Schema: SCHEMA }));
  });
  after(() => server.stop());

  const signUp = (attributes: AttributeType[], client = clientId) =>
    idp.send(new SignUpCommand({ ClientId: client, Username: `user${++n}`, Password: PASSWORD, UserAttributes: [{ Name: 'given_name', Value: 'Jo' }, ...attributes] }));
  const adminCreate = (attributes: AttributeType[]) =>
    idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `admin${++n}`, MessageAction: 'SUPPRESS', UserAttributes: attributes }));

  it('stores a String and a Number custom attribute that fit, as strings', async () => {
    const result = await signUp([{ Name: 'custom:tier', Value: 'gold' }, { Name: 'custom:seats', Value: '7' }, { Name: 'custom:badge', Value: 'b-1' }]);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `user${n}` }));
    assert.equal(user.UserAttributes!.find((a) => a.Name === 'sub')?.Value, result.UserSub);
    const custom = Object.fromEntries(user.UserAttributes!.filter((a) => a.Name!.startsWith('custom:')).map((a) => [a.Name, a.Value]));
    assert.deepEqual(custom, { 'custom:tier': 'gold', 'custom:seats': '7', 'custom:badge': 'b-1' });
  });

  it('refuses values that do not fit their declaration, every one in one message, on SignUp and AdminCreateUser', async () => {
    const bad = [
      { Name: 'custom:tier', Value: 'platinum' },
      { Name: 'custom:seats', Value: 'many' },
      { Name: 'custom:nope', Value: 'x' },
    ];
    const expected = conforming(
      'custom:tier: String must be no longer than 5 characters.',
      'custom:seats: Number must be a valid number.',
      'custom:nope: Attribute does not exist in the schema.',
    );
    await assertRejects(() => signUp(bad), expected);
    await assertRejects(() => adminCreate(bad), expected);
    await assertRejects(() => signUp([{ Name: 'custom:tier', Value: 'g' }]), conforming('custom:tier: String must be at least 2 characters long.'));
    await assertRejects(() => signUp([{ Name: 'custom:seats', Value: '0' }]), conforming('custom:seats: Number must be no less than 1.'));
    await assertRejects(() => adminCreate([{ Name: 'custom:seats', Value: '11' }]), conforming('custom:seats: Number must be no greater than 10.'));
    await assertRejects(() => signUp([{ Name: 'custom:member', Value: 'true' }]), conforming('custom:member: Attributes of type Boolean cannot be given a value.'));
    await assertRejects(() => signUp([{ Name: 'sub', Value: 'mine' }]), invalid('Cannot modify the non-mutable attribute sub'));
  });

  it('SignUp needs every required attribute; AdminCreateUser does not', async () => {
    await assertRejects(
      () => idp.send(new SignUpCommand({ ClientId: clientId, Username: `user${++n}`, Password: PASSWORD, UserAttributes: [{ Name: 'custom:tier', Value: 'gold' }] })),
      conforming('given_name: The attribute is required.'),
    );
    await assertRejects(() => signUp([{ Name: 'given_name', Value: '' }]), conforming('given_name: The attribute is required.'));
    const created = await adminCreate([{ Name: 'custom:tier', Value: 'gold' }]);
    assert.equal(created.User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
  });

  it("a client's WriteAttributes limit what SignUp may write; required attributes are always writable", async () => {
    const limited = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'limited', WriteAttributes: ['custom:tier', 'email'] }))).UserPoolClient!;
    await signUp([{ Name: 'custom:tier', Value: 'gold' }, { Name: 'email', Value: 'w@example.com' }], limited.ClientId);
    await assertRejects(() => signUp([{ Name: 'custom:seats', Value: '3' }], limited.ClientId), unauthorized);
    await assertRejects(() => signUp([{ Name: 'custom:nope', Value: '3' }], limited.ClientId), unauthorized);
    // Without a list a client writes every attribute but developer-only ones, which only an admin writes.
    await signUp([{ Name: 'custom:seats', Value: '3' }]);
    await assertRejects(() => signUp([{ Name: 'dev:custom:legacy', Value: 'x' }]), unauthorized);
    await assertRejects(() => signUp([{ Name: 'email', Value: 'v@example.com' }, { Name: 'email_verified', Value: 'true' }]), unauthorized);
    const admin = await adminCreate([{ Name: 'dev:custom:legacy', Value: 'x' }, { Name: 'custom:seats', Value: '2' }]);
    assert.equal(admin.User!.Attributes!.find((a) => a.Name === 'dev:custom:legacy')?.Value, 'x');
  });

  it('an email-as-username pool counts the username as the required email', async () => {
    const pool = await createPool(idp, { UsernameAttributes: ['email'], Schema: [{ Name: 'email', Required: true, Mutable: true }] });
    const result = await idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'req@example.com', Password: PASSWORD }));
    assert.equal(result.UserConfirmed, false);
  });
});
