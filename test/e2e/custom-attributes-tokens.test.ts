/**
 * @module Custom attributes read back by the signed-in user (docs/custom-attributes.md): in a real
 * ID token from InitiateAuth and in GetUser, both limited by the app client's ReadAttributes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('custom attributes: tokens and GetUser', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let clientId: string;
  let limitedId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    const flows = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const] };
    const created = await createPool(
      idp,
      { Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }, { Name: 'seats', AttributeDataType: 'Number', Mutable: true }] },
      flows,
    );
    clientId = created.clientId;
    const limited = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: created.poolId, ClientName: 'reads-little', ...flows, ReadAttributes: ['email', 'custom:tier'] }));
    limitedId = limited.UserPoolClient!.ClientId!;
    await idp.send(new SignUpCommand({
      ClientId: clientId, Username: 'reader', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'reader@example.com' }, { Name: 'custom:tier', Value: 'gold' }, { Name: 'custom:seats', Value: '12' }],
    }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'reader', ConfirmationCode: await server.latestCode('reader') }));
  });
  after(() => server.stop());

  const signIn = async (client: string) =>
    (await idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reader', PASSWORD } }))).AuthenticationResult!;

  it('puts String and Number custom attributes in the ID token as strings', async () => {
    const id = payload((await signIn(clientId)).IdToken!);
    assert.equal(id['custom:tier'], 'gold');
    assert.equal(id['custom:seats'], '12', 'a Number attribute is a string claim');
    assert.equal(id.email, 'reader@example.com');
    assert.equal(id.email_verified, true);
  });

  it('GetUser returns every attribute to a client without ReadAttributes', async () => {
    const { AccessToken } = await signIn(clientId);
    const user = await idp.send(new GetUserCommand({ AccessToken }));
    assert.deepEqual(user.UserAttributes!.map((a) => a.Name).sort(), ['custom:seats', 'custom:tier', 'email', 'email_verified', 'sub']);
  });

  it('a client limited by ReadAttributes sees only those attributes, in its ID token and in GetUser', async () => {
    const tokens = await signIn(limitedId);
    const id = payload(tokens.IdToken!);
    assert.equal(id['custom:tier'], 'gold');
    assert.equal(id['custom:seats'], undefined);
    assert.equal(id.email_verified, undefined);
    assert.equal(id.email, 'reader@example.com');
    const user = await idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    assert.equal(user.Username, 'reader');
    assert.deepEqual(user.UserAttributes!.map((a) => a.Name).sort(), ['custom:tier', 'email', 'sub']);
    assert.equal(user.UserAttributes!.find((a) => a.Name === 'sub')?.Value, id.sub);
  });
});
