/** @module Pools, clients and users that many tests need, made through the public API. */
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';

export const PASSWORD = 'Correct-Horse-9';

export async function createPool(
  client: CognitoIdentityProviderClient,
  settings: Partial<CreateUserPoolCommandInput> = {},
  clientSettings: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ poolId: string; clientId: string; clientSecret?: string }> {
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'test-pool', AutoVerifiedAttributes: ['email'], ...settings }));
  const poolId = pool.UserPool!.Id!;
  const app = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'test-client', ...clientSettings }));
  return { poolId, clientId: app.UserPoolClient!.ClientId!, clientSecret: app.UserPoolClient!.ClientSecret };
}

export async function signUp(client: CognitoIdentityProviderClient, clientId: string, username: string, email = `${username}@example.com`) {
  return client.send(
    new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
  );
}

/** Runs `action` and returns what it threw, failing the test if it did not throw. */
export async function rejection(action: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await action();
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
