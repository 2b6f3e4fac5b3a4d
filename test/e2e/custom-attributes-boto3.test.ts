/** @module Custom attributes through boto3 (docs/custom-attributes.md): declared, added, written on sign-up, refused when they do not fit, read back in the ID token and GetUser. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

// Everything boto3 does runs in one script; it prints one JSON object for the assertions.
const BOTO3_SCRIPT = String.raw`
import base64, json, sys, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url = sys.argv[1]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}),
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
pool = idp.create_user_pool(PoolName='boto3-custom', AutoVerifiedAttributes=['email'], Schema=[
    {'Name': 'tier', 'AttributeDataType': 'String', 'Mutable': True, 'StringAttributeConstraints': {'MinLength': '1', 'MaxLength': '8'}},
])['UserPool']
idp.add_custom_attributes(UserPoolId=pool['Id'], CustomAttributes=[
    {'Name': 'seats', 'AttributeDataType': 'Number', 'Mutable': True, 'NumberAttributeConstraints': {'MinValue': '1', 'MaxValue': '100'}},
])
out['schema'] = [a for a in idp.describe_user_pool(UserPoolId=pool['Id'])['UserPool']['SchemaAttributes'] if a['Name'].startswith('custom:')]
client = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName='boto3-custom', ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']

def failure(call):
    try:
        call()
    except ClientError as e:
        return {'class': type(e).__name__, 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                'status': e.response['ResponseMetadata']['HTTPStatusCode']}
    return None

attributes = [{'Name': 'email', 'Value': 'pycustom@example.com'}, {'Name': 'custom:tier', 'Value': 'gold'}, {'Name': 'custom:seats', 'Value': '12'}]
out['tooMany'] = failure(lambda: idp.sign_up(ClientId=client['ClientId'], Username='pycustom', Password='Correct-Horse-9',
                                             UserAttributes=attributes[:2] + [{'Name': 'custom:seats', 'Value': '500'}]))
out['duplicate'] = failure(lambda: idp.add_custom_attributes(UserPoolId=pool['Id'], CustomAttributes=[{'Name': 'tier', 'AttributeDataType': 'String'}]))
idp.sign_up(ClientId=client['ClientId'], Username='pycustom', Password='Correct-Horse-9', UserAttributes=attributes)
with urllib.request.urlopen(url + '/_userpool/outbox?username=pycustom') as res:
    code = json.load(res)['messages'][-1]['code']
idp.confirm_sign_up(ClientId=client['ClientId'], Username='pycustom', ConfirmationCode=code)
tokens = idp.initiate_auth(ClientId=client['ClientId'], AuthFlow='USER_PASSWORD_AUTH',
                           AuthParameters={'USERNAME': 'pycustom', 'PASSWORD': 'Correct-Horse-9'})['AuthenticationResult']
body = tokens['IdToken'].split('.')[1]
out['idToken'] = json.loads(base64.urlsafe_b64decode(body + '=' * (-len(body) % 4)))
out['user'] = idp.get_user(AccessToken=tokens['AccessToken'])['UserAttributes']
print(json.dumps(out))
`;

const version = boto3Version();

describe('boto3 custom attributes', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`create_user_pool Schema, add_custom_attributes, sign_up and the ID token through boto3 ${version ?? ''}`, () => {
    const run = runPython(BOTO3_SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    assert.deepEqual(out.schema, [
      { Name: 'custom:tier', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MinLength: '1', MaxLength: '8' } },
      { Name: 'custom:seats', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: '1', MaxValue: '100' } },
    ]);
    assert.deepEqual(out.tooMany, {
      class: 'InvalidParameterException', code: 'InvalidParameterException', status: 400,
      message: 'Attributes did not conform to the schema: custom:seats: Number must be no greater than 100.\n',
    });
    assert.deepEqual(out.duplicate, {
      class: 'InvalidParameterException', code: 'InvalidParameterException', status: 400, message: 'custom:tier: Existing attribute already has name custom:tier.',
    });
    assert.equal(out.idToken['custom:tier'], 'gold');
    assert.equal(out.idToken['custom:seats'], '12');
    const attributes = Object.fromEntries((out.user as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]));
    assert.deepEqual(attributes, { sub: out.idToken.sub, email: 'pycustom@example.com', email_verified: 'true', 'custom:tier': 'gold', 'custom:seats': '12' });
  });
});
