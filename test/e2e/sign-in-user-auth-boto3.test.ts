/**
 * @module USER_AUTH through boto3 (sign-in spec §5.4, §5.5, §7.3): ConfirmSignUp's Session, a
 * SELECT_CHALLENGE answered with PASSWORD, and an EMAIL_OTP sign-in with a wrong code first, as a
 * Python app would drive them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SCRIPT = String.raw`
import json, sys, urllib.request
import boto3
from botocore.config import Config

url = sys.argv[1]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}),
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
pool = idp.create_user_pool(PoolName='boto3-user-auth', AutoVerifiedAttributes=['email'],
                            Policies={'SignInPolicy': {'AllowedFirstAuthFactors': ['PASSWORD', 'EMAIL_OTP']}})['UserPool']
client = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName='boto3-user-auth',
                                     ExplicitAuthFlows=['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']
cid = client['ClientId']

def latest_code(username):
    with urllib.request.urlopen(url + '/_userpool/outbox?username=' + username) as res:
        return json.load(res)['messages'][-1]['code']

def strip(response):
    return {k: v for k, v in response.items() if k != 'ResponseMetadata'}

signed_up = idp.sign_up(ClientId=cid, Username='pyauth', Password='Correct-Horse-9',
                        UserAttributes=[{'Name': 'email', 'Value': 'pyauth@example.com'}])
confirmed = idp.confirm_sign_up(ClientId=cid, Username='pyauth', ConfirmationCode=latest_code('pyauth'), Session=signed_up['Session'])
out['session'] = strip(idp.initiate_auth(ClientId=cid, AuthFlow='USER_AUTH', AuthParameters={'USERNAME': 'pyauth'}, Session=confirmed['Session']))

select = idp.initiate_auth(ClientId=cid, AuthFlow='USER_AUTH', AuthParameters={'USERNAME': 'pyauth'})
out['select'] = {k: select[k] for k in ('ChallengeName', 'AvailableChallenges', 'ChallengeParameters')}
out['password'] = strip(idp.respond_to_auth_challenge(ClientId=cid, ChallengeName='SELECT_CHALLENGE', Session=select['Session'],
                                                      ChallengeResponses={'USERNAME': 'pyauth', 'ANSWER': 'PASSWORD', 'PASSWORD': 'Correct-Horse-9'}))

otp = idp.initiate_auth(ClientId=cid, AuthFlow='USER_AUTH', AuthParameters={'USERNAME': 'pyauth', 'PREFERRED_CHALLENGE': 'EMAIL_OTP'})
out['otp'] = {k: otp[k] for k in ('ChallengeName', 'AvailableChallenges', 'ChallengeParameters')}
code = latest_code('pyauth')
wrong = str((int(code) + 1) % 100000000).zfill(8)
try:
    idp.respond_to_auth_challenge(ClientId=cid, ChallengeName='EMAIL_OTP', Session=otp['Session'],
                                  ChallengeResponses={'USERNAME': 'pyauth', 'EMAIL_OTP_CODE': wrong})
    out['wrong'] = None
except idp.exceptions.CodeMismatchException as e:
    out['wrong'] = {'class': type(e).__name__, 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
out['right'] = strip(idp.respond_to_auth_challenge(ClientId=cid, ChallengeName='EMAIL_OTP', Session=otp['Session'],
                                                   ChallengeResponses={'USERNAME': 'pyauth', 'EMAIL_OTP_CODE': code}))
out['me'] = idp.get_user(AccessToken=out['right']['AuthenticationResult']['AccessToken'])['Username']
print(json.dumps(out))
`;

type Json = Record<string, any>;
const version = boto3Version();

describe('USER_AUTH through boto3', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`the confirmation Session, SELECT_CHALLENGE with PASSWORD and EMAIL_OTP through boto3 ${version ?? ''}`, () => {
    const run = runPython(SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    for (const name of ['session', 'password', 'right']) {
      assert.deepEqual(Object.keys(out[name]).sort(), ['AuthenticationResult', 'ChallengeParameters'], name);
      assert.deepEqual(Object.keys(out[name].AuthenticationResult).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType'], name);
    }
    assert.deepEqual(out.select, { ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP'], ChallengeParameters: {} });
    assert.deepEqual(out.otp, {
      ChallengeName: 'EMAIL_OTP',
      AvailableChallenges: ['EMAIL_OTP'],
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'p***@e***' },
    });
    assert.deepEqual(out.wrong, { class: 'CodeMismatchException', message: 'Invalid code or auth state for the user.', status: 400 });
    assert.equal(out.me, 'pyauth');
  });
});
