/**
 * @module Password recovery through boto3, as a Python app sees it: forgot_password's masked
 * CodeDeliveryDetails, a wrong code as the modelled CodeMismatchException class, confirm_forgot_password,
 * admin_reset_user_password and admin_set_user_password, and change_password with the access token;
 * a password kept in the history as the modelled PasswordHistoryPolicyViolationException class.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

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
pool = idp.create_user_pool(PoolName='boto3-recovery', AutoVerifiedAttributes=['email'])['UserPool']
client = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName='boto3-recovery',
    ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']
cid = client['ClientId']

def latest_code(username):
    with urllib.request.urlopen(url + '/_userpool/outbox?username=' + username) as res:
        return json.load(res)['messages'][-1]['code']

def strip(response):
    return {k: v for k, v in response.items() if k != 'ResponseMetadata'}

def failure(call, modelled):
    try:
        call()
    except modelled as e:
        return {'class': type(e).__name__, 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                'status': e.response['ResponseMetadata']['HTTPStatusCode']}
    except ClientError as e:
        return {'class': 'ClientError', 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
    return None

def sign_in(password):
    return idp.initiate_auth(ClientId=cid, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'pyreset', 'PASSWORD': password})

idp.sign_up(ClientId=cid, Username='pyreset', Password='Correct-Horse-9', UserAttributes=[{'Name': 'email', 'Value': 'pyreset@example.com'}])
idp.confirm_sign_up(ClientId=cid, Username='pyreset', ConfirmationCode=latest_code('pyreset'))

out['forgot'] = strip(idp.forgot_password(ClientId=cid, Username='pyreset'))
code = latest_code('pyreset')
out['mismatch'] = failure(lambda: idp.confirm_forgot_password(ClientId=cid, Username='pyreset', ConfirmationCode='000000' if code != '000000' else '111111',
                                                              Password='Battery-Staple-7'), idp.exceptions.CodeMismatchException)
out['confirm'] = strip(idp.confirm_forgot_password(ClientId=cid, Username='pyreset', ConfirmationCode=code, Password='Battery-Staple-7'))
out['signedIn'] = 'AuthenticationResult' in sign_in('Battery-Staple-7')

token = sign_in('Battery-Staple-7')['AuthenticationResult']['AccessToken']
out['wrongPrevious'] = failure(lambda: idp.change_password(AccessToken=token, PreviousPassword='Wrong-Horse-0', ProposedPassword='Another-Pass-5'),
                               idp.exceptions.NotAuthorizedException)
out['change'] = strip(idp.change_password(AccessToken=token, PreviousPassword='Battery-Staple-7', ProposedPassword='Another-Pass-5'))

out['adminReset'] = strip(idp.admin_reset_user_password(UserPoolId=pool['Id'], Username='pyreset'))
out['statusAfterReset'] = idp.admin_get_user(UserPoolId=pool['Id'], Username='pyreset')['UserStatus']
out['resetRequired'] = failure(lambda: sign_in('Another-Pass-5'), idp.exceptions.PasswordResetRequiredException)
out['adminSet'] = strip(idp.admin_set_user_password(UserPoolId=pool['Id'], Username='pyreset', Password='Final-Pass-11', Permanent=True))
out['statusAfterSet'] = idp.admin_get_user(UserPoolId=pool['Id'], Username='pyreset')['UserStatus']
out['unknown'] = failure(lambda: idp.forgot_password(ClientId=cid, Username='nobody'), idp.exceptions.UserNotFoundException)
hist = idp.create_user_pool(PoolName='boto3-history', Policies={'PasswordPolicy': {'MinimumLength': 8, 'PasswordHistorySize': 3}})['UserPool']
idp.admin_create_user(UserPoolId=hist['Id'], Username='pyhist', MessageAction='SUPPRESS')
idp.admin_set_user_password(UserPoolId=hist['Id'], Username='pyhist', Password='Final-Pass-11', Permanent=True)
out['reused'] = failure(lambda: idp.admin_set_user_password(UserPoolId=hist['Id'], Username='pyhist', Password='Final-Pass-11', Permanent=True),
                        idp.exceptions.PasswordHistoryPolicyViolationException)
print(json.dumps(out))
`;

const version = boto3Version();

describe('boto3 password recovery', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`forgot_password, confirm_forgot_password, change_password and the admin operations through boto3 ${version ?? ''}`, () => {
    const run = runPython(BOTO3_SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    assert.deepEqual(out.forgot, { CodeDeliveryDetails: { Destination: 'p***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
    assert.deepEqual(out.mismatch, { class: 'CodeMismatchException', code: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.', status: 400 });
    assert.deepEqual(out.confirm, {});
    assert.equal(out.signedIn, true);
    assert.deepEqual(out.wrongPrevious, { class: 'NotAuthorizedException', code: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
    assert.deepEqual(out.change, {});
    assert.deepEqual(out.adminReset, {});
    assert.equal(out.statusAfterReset, 'RESET_REQUIRED');
    assert.deepEqual(out.resetRequired, {
      class: 'PasswordResetRequiredException',
      code: 'PasswordResetRequiredException',
      message: 'Password reset required for the user',
      status: 400,
    });
    assert.deepEqual(out.adminSet, {});
    assert.equal(out.statusAfterSet, 'CONFIRMED');
    assert.deepEqual(out.unknown, { class: 'UserNotFoundException', code: 'UserNotFoundException', message: 'Username/client id combination not found.', status: 400 });
    assert.deepEqual(out.reused, {
      class: 'PasswordHistoryPolicyViolationException',
      code: 'PasswordHistoryPolicyViolationException',
      message: 'Password has previously been used.',
      status: 400,
    });
  });
});
