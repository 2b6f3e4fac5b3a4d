/** @module Sign-in through boto3 (spec §13): initiate_auth, admin_initiate_auth, get_user, a refresh and a wrong password, as a Python app sees them. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

/** Header and payload of a compact JWS, decoded without verification. */
function decodeJwt(jwt: string): { header: Json; payload: Json } {
  const [header = '', payload = ''] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) };
}

// Everything boto3 does runs in one script; it prints one JSON object for the assertions.
const BOTO3_SCRIPT = String.raw`
import json, sys, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url = sys.argv[1]
# One attempt: the assertions are about the first answer, not botocore's retries.
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}),
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
pool = idp.create_user_pool(PoolName='boto3-sign-in', AutoVerifiedAttributes=['email'])['UserPool']
client = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName='boto3-sign-in',
    ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']
out['poolId'] = pool['Id']
out['clientId'] = client['ClientId']
idp.sign_up(ClientId=client['ClientId'], Username='pysignin', Password='Correct-Horse-9',
            UserAttributes=[{'Name': 'email', 'Value': 'pysignin@example.com'}])
with urllib.request.urlopen(url + '/_userpool/outbox?username=pysignin') as res:
    code = json.load(res)['messages'][-1]['code']
idp.confirm_sign_up(ClientId=client['ClientId'], Username='pysignin', ConfirmationCode=code)

def strip(response):
    return {k: v for k, v in response.items() if k != 'ResponseMetadata'}

def failure(call):
    try:
        call()
    except idp.exceptions.NotAuthorizedException as e:
        return {'class': type(e).__name__, 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                'status': e.response['ResponseMetadata']['HTTPStatusCode']}
    except ClientError as e:
        return {'class': 'ClientError', 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                'status': e.response['ResponseMetadata']['HTTPStatusCode']}
    return None

out['initiate'] = strip(idp.initiate_auth(ClientId=client['ClientId'], AuthFlow='USER_PASSWORD_AUTH',
                                          AuthParameters={'USERNAME': 'pysignin', 'PASSWORD': 'Correct-Horse-9'}))
out['admin'] = strip(idp.admin_initiate_auth(UserPoolId=pool['Id'], ClientId=client['ClientId'], AuthFlow='ADMIN_USER_PASSWORD_AUTH',
                                             AuthParameters={'USERNAME': 'pysignin', 'PASSWORD': 'Correct-Horse-9'}))
out['user'] = strip(idp.get_user(AccessToken=out['admin']['AuthenticationResult']['AccessToken']))
out['refresh'] = strip(idp.initiate_auth(ClientId=client['ClientId'], AuthFlow='REFRESH_TOKEN_AUTH',
                                         AuthParameters={'REFRESH_TOKEN': out['initiate']['AuthenticationResult']['RefreshToken']}))
out['wrong'] = failure(lambda: idp.initiate_auth(ClientId=client['ClientId'], AuthFlow='USER_PASSWORD_AUTH',
                                                 AuthParameters={'USERNAME': 'pysignin', 'PASSWORD': 'Wrong-Horse-0'}))
out['adminWrong'] = failure(lambda: idp.admin_initiate_auth(UserPoolId=pool['Id'], ClientId=client['ClientId'], AuthFlow='ADMIN_USER_PASSWORD_AUTH',
                                                            AuthParameters={'USERNAME': 'pysignin', 'PASSWORD': 'Wrong-Horse-0'}))
print(json.dumps(out))
`;

const version = boto3Version();

describe('boto3 sign-in', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`initiate_auth, admin_initiate_auth, get_user and a wrong password through boto3 ${version ?? ''}`, () => {
    const run = runPython(BOTO3_SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    for (const name of ['initiate', 'admin'] as const) {
      const response = out[name] as Json;
      assert.deepEqual(Object.keys(response).sort(), ['AuthenticationResult', 'ChallengeParameters'], name);
      assert.deepEqual(response.ChallengeParameters, {});
      const result = response.AuthenticationResult as Json;
      assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType'], name);
      assert.equal(result.ExpiresIn, 3600);
      assert.equal(result.TokenType, 'Bearer');
      assert.match(result.RefreshToken, /^[A-Za-z0-9\-_=.]+$/u);
      const access = decodeJwt(result.AccessToken).payload;
      assert.equal(access.username, 'pysignin');
      assert.equal(access.client_id, out.clientId);
      assert.equal(access.token_use, 'access');
      const id = decodeJwt(result.IdToken).payload;
      assert.equal(id['cognito:username'], 'pysignin');
      assert.equal(id.aud, out.clientId);
      assert.equal(id.email_verified, true);
    }
    assert.equal(out.user.Username, 'pysignin');
    const attributes = Object.fromEntries((out.user.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]));
    assert.deepEqual(attributes, { sub: decodeJwt(out.admin.AuthenticationResult.IdToken).payload.sub, email: 'pysignin@example.com', email_verified: 'true' });
    // REFRESH_TOKEN_AUTH: new ID and access tokens, no refresh token (rotation is not on).
    assert.deepEqual(Object.keys(out.refresh.AuthenticationResult).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType']);
    assert.equal(decodeJwt(out.refresh.AuthenticationResult.AccessToken).payload.username, 'pysignin');
    const expected = { class: 'NotAuthorizedException', code: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 };
    assert.deepEqual(out.wrong, expected);
    assert.deepEqual(out.adminWrong, expected);
  });
});
