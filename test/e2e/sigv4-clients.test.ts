/**
 * @module SigV4 in the production profile as the three real clients sign it: the JS SDK v3, boto3
 * and the AWS CLI each make admin calls that pass, and each is refused with AWS's own error when it
 * signs with the wrong secret or for another region; raw requests scoped to another service or
 * another date get AWS's scope errors.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AWS_CLI, awsCliVersion, boto3Version, PYTHON, runAwsCli, runPython } from '../helpers/aws-clients.ts';
import { rejection } from '../helpers/fixtures.ts';
import { productionEnv, sdkClient, startTestServer, TEST_CREDENTIALS, type TestServer } from '../helpers/server.ts';

// Literal texts, so that a changed wording in the verifier shows up here as a failure.
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const WRONG_REGION = 'Credential should be scoped to a valid region. ';
const WRONG_SERVICE = "Credential should be scoped to correct service: 'cognito-idp'. ";
const WRONG_DATE = 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP. ';
const TARGET = 'AWSCognitoIdentityProviderService';

const boto3 = boto3Version();
const cli = awsCliVersion();

// One script for every boto3 case; it prints either what the calls returned or botocore's reading of the refusal.
const BOTO3_SCRIPT = String.raw`
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, key_id, secret, region = sys.argv[1:5]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name=region, aws_access_key_id=key_id,
                   aws_secret_access_key=secret, config=Config(retries={'total_max_attempts': 1}))
try:
    pool = idp.create_user_pool(PoolName='boto3-signed')['UserPool']
    idp.admin_create_user(UserPoolId=pool['Id'], Username='boto3-user', MessageAction='SUPPRESS')
    user = idp.admin_get_user(UserPoolId=pool['Id'], Username='boto3-user')
    listed = idp.list_user_pools(MaxResults=10)['UserPools']
    print(json.dumps({'poolId': pool['Id'], 'username': user['Username'], 'listed': [p['Id'] for p in listed]}))
except ClientError as e:
    print(json.dumps({'error': {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                                'status': e.response['ResponseMetadata']['HTTPStatusCode']}}))
`;

describe('SigV4 verification with real clients (production profile)', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ args: ['--profile', 'production'], env: productionEnv() })));
  after(() => server.stop());

  function sdkSignedWith(options: { secretAccessKey?: string; region?: string }): CognitoIdentityProviderClient {
    return new CognitoIdentityProviderClient({
      endpoint: server.url,
      region: options.region ?? 'us-east-1',
      credentials: { ...TEST_CREDENTIALS, ...(options.secretAccessKey ? { secretAccessKey: options.secretAccessKey } : {}) },
      maxAttempts: 1,
    });
  }

  describe('JS SDK v3', () => {
    it('makes signed admin calls that pass', async () => {
      const client = sdkClient(server.url);
      try {
        const pool = (await client.send(new CreateUserPoolCommand({ PoolName: 'sdk-signed' }))).UserPool!;
        await client.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: 'sdk-user', MessageAction: 'SUPPRESS' }));
        const user = await client.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'sdk-user' }));
        assert.equal(user.Username, 'sdk-user');
        const listed = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
        assert.ok(listed.UserPools?.some((p) => p.Id === pool.Id));
      } finally {
        client.destroy();
      }
    });

    it('is refused with a wrong secret', async () => {
      const client = sdkSignedWith({ secretAccessKey: 'not-the-secret' });
      const error = await rejection(() => client.send(new ListUserPoolsCommand({ MaxResults: 10 })));
      client.destroy();
      assert.equal(error.name, 'InvalidSignatureException');
      assert.equal(error.message, MISMATCH);
      assert.equal(error.$metadata?.httpStatusCode, 400);
    });

    it('is refused when it signs for another region', async () => {
      const client = sdkSignedWith({ region: 'eu-west-1' });
      const error = await rejection(() => client.send(new ListUserPoolsCommand({ MaxResults: 10 })));
      client.destroy();
      assert.equal(error.name, 'InvalidSignatureException');
      assert.equal(error.message, WRONG_REGION);
      assert.equal(error.$metadata?.httpStatusCode, 400);
    });
  });

  describe(`boto3 ${boto3 ?? ''}`.trim(), { skip: boto3 ? false : `${PYTHON} cannot 'import boto3' (Debian: apt-get install python3-boto3)` }, () => {
    const boto3Run = (secret: string, region: string) => {
      const run = runPython(BOTO3_SCRIPT, [server.url, TEST_CREDENTIALS.accessKeyId, secret, region]);
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout) as Record<string, any>;
    };

    it('makes signed admin calls that pass', () => {
      const out = boto3Run(TEST_CREDENTIALS.secretAccessKey, 'us-east-1');
      assert.equal(out.error, undefined, JSON.stringify(out.error));
      assert.match(out.poolId, /^us-east-1_[0-9A-Za-z]{9}$/u);
      assert.equal(out.username, 'boto3-user');
      assert.ok(out.listed.includes(out.poolId));
    });

    it('is refused with a wrong secret', () => {
      assert.deepEqual(boto3Run('not-the-secret', 'us-east-1').error, { code: 'InvalidSignatureException', message: MISMATCH, status: 400 });
    });

    it('is refused when it signs for another region', () => {
      assert.deepEqual(boto3Run(TEST_CREDENTIALS.secretAccessKey, 'eu-west-1').error, { code: 'InvalidSignatureException', message: WRONG_REGION, status: 400 });
    });
  });

  describe(`AWS CLI ${cli ?? ''}`.trim(), { skip: cli ? false : `the AWS CLI (${AWS_CLI}) is not available (Debian: apt-get install awscli)` }, () => {
    const listPools = (secret: string) =>
      runAwsCli(['cognito-idp', 'list-user-pools', '--max-results', '10', '--endpoint-url', server.url], {
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_MAX_ATTEMPTS: '1',
      });

    it('makes a signed admin call that passes', async () => {
      const client = sdkClient(server.url);
      const pool = (await client.send(new CreateUserPoolCommand({ PoolName: 'cli-visible' }))).UserPool!;
      client.destroy();
      const run = listPools(TEST_CREDENTIALS.secretAccessKey);
      assert.equal(run.status, 0, run.stderr);
      const pools = (JSON.parse(run.stdout) as { UserPools: { Id: string }[] }).UserPools;
      assert.ok(pools.some((p) => p.Id === pool.Id));
    });

    it('is refused with a wrong secret', () => {
      const run = listPools('not-the-secret');
      assert.notEqual(run.status, 0);
      assert.equal(run.stderr.trim(), `An error occurred (InvalidSignatureException) when calling the ListUserPools operation: ${MISMATCH}`);
    });
  });

  describe('raw HTTP', () => {
    /** Signs ListUserPools with a signer of the client side's own, then lets `adjust` spoil one thing. */
    async function rawListPools(scope: { service?: string; region?: string; signingDate?: Date }, adjust: (headers: Record<string, string>) => void = () => {}) {
      const url = new URL(server.url);
      const body = '{"MaxResults":10}';
      const signer = new SignatureV4({
        credentials: TEST_CREDENTIALS,
        region: scope.region ?? 'us-east-1',
        service: scope.service ?? 'cognito-idp',
        sha256: Hash.bind(null, 'sha256'),
      });
      const signed = await signer.sign(
        {
          method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
          headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.ListUserPools` },
          body,
        },
        { signingDate: scope.signingDate ?? new Date() },
      );
      const headers = { ...(signed.headers as Record<string, string>) };
      adjust(headers);
      return new Promise<{ status: number; json: { __type?: string; message?: string } }>((resolve, reject) => {
        const req = request(server.url, { method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { __type?: string; message?: string } }));
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    it('passes when nothing is spoilt', async () => {
      const { status, json } = await rawListPools({});
      assert.equal(status, 200, JSON.stringify(json));
    });

    it('is refused when scoped to service s3', async () => {
      assert.deepEqual(await rawListPools({ service: 's3' }), { status: 400, json: { __type: 'InvalidSignatureException', message: WRONG_SERVICE } });
    });

    it('is refused when scoped to another region and service, with both reasons', async () => {
      assert.deepEqual(await rawListPools({ service: 's3', region: 'eu-west-1' }), {
        status: 400,
        json: { __type: 'InvalidSignatureException', message: WRONG_REGION + WRONG_SERVICE },
      });
    });

    it('is refused when the credential scope names another date than X-Amz-Date', async () => {
      const now = new Date();
      const yesterday = new Date(now.getTime() - 86_400_000);
      const result = await rawListPools({ signingDate: yesterday }, (headers) => {
        headers['x-amz-date'] = now.toISOString().replace(/[-:]|\.\d{3}/gu, '');
      });
      assert.deepEqual(result, { status: 400, json: { __type: 'InvalidSignatureException', message: WRONG_DATE } });
    });

    it('is refused when X-Amz-Date is more than 5 minutes old, with AWS wording', async () => {
      const result = await rawListPools({ signingDate: new Date(Date.now() - 6 * 60_000) });
      assert.equal(result.status, 400);
      assert.equal(result.json.__type, 'InvalidSignatureException');
      assert.match(result.json.message ?? '', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/u);
    });
  });
});
