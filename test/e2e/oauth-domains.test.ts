/**
 * @module Domains and resource servers through the AWS SDK (docs/oauth.md): CreateUserPoolDomain,
 * DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain and DescribeUserPool's
 * `Domain`; CreateResourceServer, DescribeResourceServer, ListResourceServers (paging),
 * UpdateResourceServer and DeleteResourceServer, with their errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateResourceServerCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects } from '../helpers/cognito.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const invalid = (message: string) => ({ type: 'InvalidParameterException', message });
const NO_DOMAIN = invalid('No such domain or user pool exists.');

describe('user-pool domains and resource servers', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  const newPool = async (tier?: 'LITE' | 'ESSENTIALS') =>
    (await idp.send(new CreateUserPoolCommand({ PoolName: 'oauth', ...(tier ? { UserPoolTier: tier } : {}) }))).UserPool!.Id!;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  test('a prefix domain is created, described as ACTIVE, shown by DescribeUserPool, updated and deleted', async () => {
    const poolId = await newPool();
    assert.deepEqual(await body(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'shop-1' }))), {});
    assert.deepEqual(await body(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'shop-2', ManagedLoginVersion: 2 }))), { ManagedLoginVersion: 2 });
    const described = (await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'shop-1' }))).DomainDescription!;
    assert.equal(described.UserPoolId, poolId);
    assert.equal(described.Domain, 'shop-1');
    assert.equal(described.Status, 'ACTIVE');
    assert.equal(described.ManagedLoginVersion, 1, 'classic hosted UI when the version is not sent');
    assert.match(described.AWSAccountId!, /^\d{12}$/u);
    assert.match(described.CloudFrontDistribution!, /^d[0-9a-f]{13}\.cloudfront\.net$/u);
    assert.equal(described.CustomDomainConfig, undefined);
    assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain, 'shop-1');

    assert.deepEqual(await body(idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'shop-1', ManagedLoginVersion: 2 }))), { ManagedLoginVersion: 2 });
    assert.equal((await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'shop-1' }))).DomainDescription!.ManagedLoginVersion, 2);

    assert.deepEqual(await body(idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'shop-1' }))), {});
    assert.deepEqual((await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'shop-1' }))).DomainDescription, {}, 'an unknown domain is an empty description');
    assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain, undefined);
    await assertRejects(() => idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'shop-1' })), NO_DOMAIN);
    await assertRejects(() => idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'shop-1', ManagedLoginVersion: 1 })), NO_DOMAIN);
  });

  test('a prefix is unique across pools, one per pool, free of reserved words; unknown pools and tiers are refused', async () => {
    const first = await newPool();
    const second = await newPool();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: first, Domain: 'taken-1' }));
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: 'taken-1' })), invalid('Domain already associated with another user pool.'));
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: first, Domain: 'taken-2' })), invalid('The user pool already has a domain configured.'));
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: 'my-aws-app' })), invalid('Domain cannot contain reserved word: aws'));
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: 'cognito-x' })), invalid('Domain cannot contain reserved word: cognito'));
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: 'us-east-1_nothere1', Domain: 'free-1' })), {
      type: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere1 does not exist.',
    });
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: 'Upper' })), {
      type: 'InvalidParameterException',
      message: "1 validation error detected: Value 'Upper' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
    });
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: 'ver-3', ManagedLoginVersion: 3 })), invalid('ManagedLoginVersion must be 1 or 2.'));
    const lite = await newPool('LITE');
    await assertRejects(() => idp.send(new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: 'lite-1', ManagedLoginVersion: 2 })), {
      type: 'FeatureUnavailableInTierException',
      message: 'Managed login is not available for user pools on the LITE tier.',
    });
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: 'lite-1' }));
    await assertRejects(() => idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: lite, Domain: 'lite-1', ManagedLoginVersion: 2 })), {
      type: 'FeatureUnavailableInTierException',
      message: 'Managed login is not available for user pools on the LITE tier.',
    });
    await assertRejects(() => idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: second, Domain: 'lite-1', ManagedLoginVersion: 1 })), NO_DOMAIN);
    await assertRejects(() => idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: second, Domain: 'lite-1' })), NO_DOMAIN);
  });

  test('a pool with a domain cannot be deleted until the domain is; then the name is free again', async () => {
    const poolId = await newPool();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'gone-1' }));
    await assertRejects(() => idp.send(new DeleteUserPoolCommand({ UserPoolId: poolId })), invalid('User pool cannot be deleted. It has a domain configured that should be deleted first.'));
    assert.equal((await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'gone-1' }))).DomainDescription!.UserPoolId, poolId, 'the refusal kept the domain');
    await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'gone-1' }));
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'gone-1' }));
  });

  test('resource servers: create, describe, list with paging, update replaces, delete; errors', async () => {
    const poolId = await newPool();
    const scopes = [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }];
    const created = await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes }));
    assert.deepEqual(created.ResourceServer, { UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes });
    const bare = await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'bare', Name: 'Bare' }));
    assert.deepEqual(bare.ResourceServer!.Scopes, []);
    await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'zeta', Name: 'Zeta' }));
    await assertRejects(() => idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'bare', Name: 'Again' })), invalid('A resource server with identifier bare already exists in this user pool.'));
    await assertRejects(() => idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'dup', Name: 'Dup', Scopes: [scopes[0]!, scopes[0]!] })), invalid('Duplicate scope name read.'));
    await assertRejects(() => idp.send(new CreateResourceServerCommand({ UserPoolId: 'us-east-1_nothere1', Identifier: 'x', Name: 'X' })), {
      type: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere1 does not exist.',
    });
    await assertRejects(() => idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'x', Name: 'X', Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'slash' }] })), {
      type: 'InvalidParameterException',
      message: "1 validation error detected: Value 'a/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+",
    });

    assert.deepEqual((await idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }))).ResourceServer, created.ResourceServer);
    await assertRejects(() => idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' })), { type: 'ResourceNotFoundException', message: 'Resource server nope does not exist.' });

    const one = await idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2 }));
    assert.deepEqual(one.ResourceServers!.map((r) => r.Identifier), ['bare', 'https://api.example.com']);
    const two = await idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: one.NextToken }));
    assert.deepEqual(two.ResourceServers!.map((r) => r.Identifier), ['zeta']);
    assert.equal(two.NextToken, undefined);
    assert.equal((await idp.send(new ListResourceServersCommand({ UserPoolId: poolId }))).ResourceServers!.length, 3);
    await assertRejects(() => idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: 'garbage!' })), invalid('Invalid pagination token.'));

    const updated = await idp.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API v2', Scopes: [scopes[1]!] }));
    assert.deepEqual(updated.ResourceServer, { UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API v2', Scopes: [scopes[1]] });
    const cleared = await idp.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API v3' }));
    assert.deepEqual(cleared.ResourceServer!.Scopes, [], 'scopes not sent are gone');
    await assertRejects(() => idp.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope', Name: 'N' })), { type: 'ResourceNotFoundException', message: 'Resource server nope does not exist.' });

    await idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'zeta' }));
    await assertRejects(() => idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'zeta' })), { type: 'ResourceNotFoundException', message: 'Resource server zeta does not exist.' });
    assert.deepEqual((await idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 10 }))).ResourceServers!.map((r) => r.Identifier), ['bare', 'https://api.example.com']);
  });
});

/** The response without the SDK's $metadata. */
async function body<T extends { $metadata?: unknown }>(pending: Promise<T>): Promise<Omit<T, '$metadata'>> {
  const { $metadata: _, ...rest } = await pending;
  return rest;
}
