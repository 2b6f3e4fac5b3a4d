/**
 * @module boto3 (Python) against the server through `endpoint_url`: pool, client, sign-up, code
 * from the outbox, confirm, CONFIRMED, and botocore's reading of an error. Skips without boto3.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Everything boto3 does runs in one script; it prints one JSON object for the assertions.
const SCRIPT = String.raw`
import json, sys, urllib.request
import boto3
from botocore.exceptions import ClientError

url = sys.argv[1]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1',
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
pool = idp.create_user_pool(PoolName='boto3-pool', AutoVerifiedAttributes=['email'])['UserPool']
out['poolId'] = pool['Id']
out['poolCreated'] = pool['CreationDate'].isoformat()
client = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName='boto3-client')['UserPoolClient']
out['clientId'] = client['ClientId']
up = idp.sign_up(ClientId=client['ClientId'], Username='pyuser', Password='Correct-Horse-9',
                 UserAttributes=[{'Name': 'email', 'Value': 'py@example.com'}])
out['signUp'] = {k: up[k] for k in ('UserConfirmed', 'UserSub', 'CodeDeliveryDetails')}
with urllib.request.urlopen(url + '/_userpool/outbox?username=pyuser') as res:
    code = json.load(res)['messages'][-1]['code']
try:
    idp.confirm_sign_up(ClientId=client['ClientId'], Username='pyuser', ConfirmationCode='000000' if code != '000000' else '111111')
except ClientError as e:
    out['wrongCode'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                        'status': e.response['ResponseMetadata']['HTTPStatusCode']}
confirmed = idp.confirm_sign_up(ClientId=client['ClientId'], Username='pyuser', ConfirmationCode=code)
out['confirmStatus'] = confirmed['ResponseMetadata']['HTTPStatusCode']
out['requestId'] = confirmed['ResponseMetadata']['RequestId']
user = idp.admin_get_user(UserPoolId=pool['Id'], Username='pyuser')
out['userStatus'] = user['UserStatus']
out['emailVerified'] = next(a['Value'] for a in user['UserAttributes'] if a['Name'] == 'email_verified')
try:
    idp.confirm_sign_up(ClientId=client['ClientId'], Username='pyuser', ConfirmationCode=code)
except idp.exceptions.NotAuthorizedException as e:
    out['again'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
print(json.dumps(out))
`;

const version = boto3Version();

describe('boto3 client', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  it(`signs up and confirms through boto3 ${version ?? ''}`, () => {
    const run = runPython(SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Record<string, any>;
    assert.match(out.poolId, /^us-east-1_[0-9A-Za-z]{9}$/u);
    assert.match(out.clientId, /^[a-z0-9]{26}$/u);
    // botocore parsed the epoch-second timestamp into a datetime near now.
    assert.ok(Math.abs(Date.parse(out.poolCreated) - Date.now()) < 3_600_000, out.poolCreated);
    assert.equal(out.signUp.UserConfirmed, false);
    assert.deepEqual(out.signUp.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'p***@e***' });
    assert.deepEqual(out.wrongCode, { code: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.', status: 400 });
    assert.equal(out.confirmStatus, 200);
    assert.match(out.requestId, /^[0-9a-f-]{36}$/u);
    assert.equal(out.userStatus, 'CONFIRMED');
    assert.equal(out.emailVerified, 'true');
    assert.deepEqual(out.again, { code: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });
});
