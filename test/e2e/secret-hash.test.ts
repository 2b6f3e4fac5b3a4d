/**
 * @module SecretHash on SignUp, ResendConfirmationCode and ConfirmSignUp (spec §5.7): missing and
 * wrong hashes, secret rotation with two active secrets, and which username the hash may cover.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddUserPoolClientSecretCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/domain/secret-hash.ts';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('SecretHash (spec §5.7)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  const missing = (clientId: string) => ({ type: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });
  const mismatch = (clientId: string) => ({ type: 'NotAuthorizedException', message: `SecretHash does not match for the client: ${clientId}` });
  const signUpWith = (clientId: string, username: string, hash: string | undefined, email = `${username}@example.com`) =>
    idp.send(
      new SignUpCommand({ ClientId: clientId, Username: username, SecretHash: hash, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );

  test('SignUp: missing and wrong hashes are refused and no user is created', async () => {
    const { poolId, clientId, clientSecret } = await createPool(idp, {}, { GenerateSecret: true });
    await assertRejects(() => signUpWith(clientId, 'su-user', undefined), missing(clientId));
    await assertRejects(() => signUpWith(clientId, 'su-user', secretHash(clientSecret!, 'other-user', clientId)), mismatch(clientId));
    await assertRejects(() => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'su-user' })), {
      type: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    await signUpWith(clientId, 'su-user', secretHash(clientSecret!, 'su-user', clientId));
    assert.equal((await userState(idp, poolId, 'su-user')).status, 'UNCONFIRMED');
  });

  test('ResendConfirmationCode: missing and wrong hashes are refused and no code is sent', async () => {
    const { clientId, clientSecret } = await createPool(idp, {}, { GenerateSecret: true });
    const hash = secretHash(clientSecret!, 'rs-user', clientId);
    await signUpWith(clientId, 'rs-user', hash);
    const resend = (SecretHash?: string) => idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'rs-user', SecretHash }));
    await assertRejects(() => resend(undefined), missing(clientId));
    await assertRejects(() => resend(secretHash('not-the-secret', 'rs-user', clientId)), mismatch(clientId));
    assert.equal((await server.outbox('rs-user')).length, 1);
    await resend(hash);
    assert.equal((await server.outbox('rs-user')).length, 2);
  });

  test('ConfirmSignUp: the hash is case-sensitive in the username it covers', async () => {
    const { poolId, clientId, clientSecret } = await createPool(idp, {}, { GenerateSecret: true });
    await signUpWith(clientId, 'CaseUser', secretHash(clientSecret!, 'CaseUser', clientId));
    const code = await server.latestCode('CaseUser');
    const confirm = (hash: string) => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'CaseUser', ConfirmationCode: code, SecretHash: hash }));
    await assertRejects(() => confirm(secretHash(clientSecret!, 'caseuser', clientId)), mismatch(clientId));
    await confirm(secretHash(clientSecret!, 'CaseUser', clientId));
    assert.equal((await userState(idp, poolId, 'CaseUser')).status, 'CONFIRMED');
  });

  test('a client without a secret ignores a SecretHash', async () => {
    const { poolId, clientId } = await createPool(idp);
    await signUpWith(clientId, 'public-user', 'c29tZXRoaW5nIGVsc2U=');
    const code = await server.latestCode('public-user');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'public-user', ConfirmationCode: code, SecretHash: 'AAAA' }));
    assert.equal((await userState(idp, poolId, 'public-user')).status, 'CONFIRMED');
  });

  test('rotation: two active secrets are both accepted, a third is refused, a deleted one stops working', async () => {
    const { poolId, clientId, clientSecret } = await createPool(idp, {}, { GenerateSecret: true });
    const first = clientSecret!;
    const added = await idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
    const second = added.ClientSecretDescriptor!.ClientSecretValue!;
    assert.notEqual(second, first);

    const listed = await idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.equal(listed.ClientSecrets!.length, 2);
    assert.ok(listed.ClientSecrets!.every((s) => s.ClientSecretValue === undefined), 'values are shown only when added');
    await assertRejects(() => idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })), {
      type: 'LimitExceededException',
      message: 'A client can have at most 2 client secrets.',
    });

    // Sign up under the old secret, resend under the new one, confirm under the old one again.
    await signUpWith(clientId, 'rot-a', secretHash(first, 'rot-a', clientId));
    await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'rot-a', SecretHash: secretHash(second, 'rot-a', clientId) }));
    await idp.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: 'rot-a', ConfirmationCode: await server.latestCode('rot-a'), SecretHash: secretHash(first, 'rot-a', clientId) }),
    );
    assert.equal((await userState(idp, poolId, 'rot-a')).status, 'CONFIRMED');

    const firstId = listed.ClientSecrets!.find((s) => s.ClientSecretId !== added.ClientSecretDescriptor!.ClientSecretId)!.ClientSecretId!;
    await idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: firstId }));
    const remaining = await idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.deepEqual(remaining.ClientSecrets!.map((s) => s.ClientSecretId), [added.ClientSecretDescriptor!.ClientSecretId]);

    await assertRejects(() => signUpWith(clientId, 'rot-b', secretHash(first, 'rot-b', clientId)), mismatch(clientId));
    await signUpWith(clientId, 'rot-b', secretHash(second, 'rot-b', clientId));
    const code = await server.latestCode('rot-b');
    await assertRejects(
      () => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'rot-b', ConfirmationCode: code, SecretHash: secretHash(first, 'rot-b', clientId) })),
      mismatch(clientId),
    );
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'rot-b', ConfirmationCode: code, SecretHash: secretHash(second, 'rot-b', clientId) }));
    assert.equal((await userState(idp, poolId, 'rot-b')).status, 'CONFIRMED');
  });

  test('AddUserPoolClientSecret with a chosen value: hashes under that value are accepted', async () => {
    const { poolId, clientId } = await createPool(idp, {}, { GenerateSecret: true });
    const chosen = 'chosenSecretValue0123456789abcdef';
    const added = await idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecret: chosen }));
    assert.equal(added.ClientSecretDescriptor!.ClientSecretValue, chosen);
    await signUpWith(clientId, 'chosen-user', secretHash(chosen, 'chosen-user', clientId));
    assert.equal((await userState(idp, poolId, 'chosen-user')).status, 'UNCONFIRMED');
  });

  test('email-as-username pools: the hash may cover the email sent or the stored UUID username (§11), nothing else', async () => {
    const { poolId, clientId, clientSecret } = await createPool(idp, { UsernameAttributes: ['email'] }, { GenerateSecret: true });
    const email = 'uuid-hash@example.com';
    const { UserSub } = await signUpWith(clientId, email, secretHash(clientSecret!, email, clientId), email);
    const stored = (await userState(idp, poolId, email)).username;
    assert.equal(stored, UserSub);
    const code = await server.latestCode(stored);
    const confirm = (hash: string) => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code, SecretHash: hash }));
    await assertRejects(() => confirm(secretHash(clientSecret!, 'someone-else', clientId)), mismatch(clientId));
    await confirm(secretHash(clientSecret!, stored, clientId));
    assert.equal((await userState(idp, poolId, email)).status, 'CONFIRMED');

    const other = 'uuid-hash-2@example.com';
    await signUpWith(clientId, other, secretHash(clientSecret!, other, clientId), other);
    const otherStored = (await userState(idp, poolId, other)).username;
    await idp.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: other, ConfirmationCode: await server.latestCode(otherStored), SecretHash: secretHash(clientSecret!, other, clientId) }),
    );
    assert.equal((await userState(idp, poolId, other)).status, 'CONFIRMED');
  });
});
