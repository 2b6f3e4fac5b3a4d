/**
 * @module The README's "Hosted UI in a browser" shell block run by bash with the AWS CLI against a
 * `--tls` server (its `serve` line aside; the port and the authority's path replaced): a pool, the
 * `myapp` domain, and a code-flow client with the scopes and URLs the Amplify snippet uses.
 * Skips without `aws`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeUserPoolClientCommand, DescribeUserPoolDomainCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AWS_CLI, awsCliVersion, isolatedAwsEnv } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readmeBlock } from './readme-section.ts';

const version = awsCliVersion();

describe("the README's hosted-UI setup with the AWS CLI", { skip: version ? false : `the AWS CLI (${AWS_CLI}) is not available (Debian: apt-get install awscli)` }, () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    server = await startTestServer({ tls: true });
    dir = mkdtempSync(join(tmpdir(), 'userpool-readme-cli-'));
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('makes the pool, the myapp domain and a code-flow client over HTTPS, trusting the local authority', async () => {
    const block = readmeBlock('sh', 'create-user-pool-domain');
    const lines = block.split('\n');
    assert.match(lines[0]!, /^\.\/bin\/userpool\.js serve --tls\b/u, 'the block starts the server with --tls');
    writeFileSync(join(dir, 'tls-ca.pem'), server.ca!);
    const port = new URL(server.url).port;
    const script = ['set -euo pipefail', ...lines.slice(1)].join('\n')
      .replaceAll('https://localhost:9229', `https://localhost:${port}`)
      .replaceAll('.userpool/tls-ca.pem', join(dir, 'tls-ca.pem'));
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000, env: { ...isolatedAwsEnv(), PATH: process.env.PATH ?? '' } });
    assert.equal(run.status, 0, `${version}: ${run.stderr}`);
    const clientId = run.stdout.trim().split('\n').at(-1)!;
    assert.match(clientId, /^[a-z0-9]{26}$/u, `the last line is the client id: ${run.stdout}`);

    const idp = server.client();
    const [pool] = (await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools!;
    assert.equal(pool?.Name, 'web');
    const domain = (await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'myapp' }))).DomainDescription!;
    assert.equal(domain.UserPoolId, pool.Id);
    const client = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: clientId }))).UserPoolClient!;
    assert.equal(client.AllowedOAuthFlowsUserPoolClient, true);
    assert.deepEqual(client.AllowedOAuthFlows, ['code']);
    assert.deepEqual([...client.AllowedOAuthScopes!].sort(), ['aws.cognito.signin.user.admin', 'email', 'openid', 'profile']);
    assert.deepEqual([client.CallbackURLs, client.LogoutURLs, client.SupportedIdentityProviders], [['http://localhost:3000/'], ['http://localhost:3000/'], ['COGNITO']]);
    assert.equal(client.ClientSecret, undefined, 'a public client, as Amplify in a browser needs');
  });
});
