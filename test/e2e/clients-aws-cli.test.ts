/**
 * @module The AWS CLI against the server through `--endpoint-url`: pool, client, sign-up, code from
 * the outbox, confirm, CONFIRMED, and the CLI's rendering of an error. Skips without `aws`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI as AWS, awsCliVersion, isolatedAwsEnv as withoutMachineAws } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const isolatedAwsEnv = () =>
  withoutMachineAws({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_DEFAULT_REGION: 'us-east-1' });

const version = awsCliVersion();

describe('AWS CLI client', { skip: version ? false : `the AWS CLI (${AWS}) is not available (Debian: apt-get install awscli)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  function aws(...args: string[]): { status: number | null; json: Record<string, any>; stderr: string } {
    const run = spawnSync(AWS, ['cognito-idp', ...args, '--endpoint-url', server.url, '--output', 'json'], { encoding: 'utf8', env: isolatedAwsEnv(), timeout: 60_000 });
    return { status: run.status, json: run.stdout.trim() ? (JSON.parse(run.stdout) as Record<string, any>) : {}, stderr: run.stderr };
  }

  function ok(...args: string[]): Record<string, any> {
    const run = aws(...args);
    assert.equal(run.status, 0, `aws cognito-idp ${args.join(' ')}: ${run.stderr}`);
    return run.json;
  }

  it(`signs up and confirms through ${version ?? 'the AWS CLI'}`, async () => {
    const pool = ok('create-user-pool', '--pool-name', 'cli-pool', '--auto-verified-attributes', 'email').UserPool;
    assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]{9}$/u);
    const client = ok('create-user-pool-client', '--user-pool-id', pool.Id, '--client-name', 'cli-client').UserPoolClient;
    assert.match(client.ClientId, /^[a-z0-9]{26}$/u);

    const up = ok('sign-up', '--client-id', client.ClientId, '--username', 'cliuser', '--password', 'Correct-Horse-9',
      '--user-attributes', 'Name=email,Value=cli@example.com');
    assert.equal(up.UserConfirmed, false);
    assert.equal(up.CodeDeliveryDetails.Destination, 'c***@e***');

    const code = await server.latestCode('cliuser');
    const wrong = aws('confirm-sign-up', '--client-id', client.ClientId, '--username', 'cliuser', '--confirmation-code', code === '000000' ? '111111' : '000000');
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /An error occurred \(CodeMismatchException\) when calling the ConfirmSignUp operation: Invalid verification code provided, please try again\./u);

    ok('confirm-sign-up', '--client-id', client.ClientId, '--username', 'cliuser', '--confirmation-code', code);
    const user = ok('admin-get-user', '--user-pool-id', pool.Id, '--username', 'cliuser');
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes.find((a: { Name: string }) => a.Name === 'email_verified')?.Value, 'true');

    const again = aws('confirm-sign-up', '--client-id', client.ClientId, '--username', 'cliuser', '--confirmation-code', code);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /An error occurred \(NotAuthorizedException\) when calling the ConfirmSignUp operation: User cannot be confirmed\. Current status is CONFIRMED/u);
  });

  it('lists users with a filter through the CLI', () => {
    const pools = ok('list-user-pools', '--max-results', '10').UserPools as { Id: string; Name: string }[];
    const pool = pools.find((p) => p.Name === 'cli-pool')!;
    const users = ok('list-users', '--user-pool-id', pool.Id, '--filter', 'username = "cliuser"').Users as { Username: string }[];
    assert.deepEqual(users.map((u) => u.Username), ['cliuser']);
  });
});
