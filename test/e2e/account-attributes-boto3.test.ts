/**
 * @module Attribute changes through boto3, as a Python app sees them: update_user_attributes with
 * its CodeDeliveryDetailsList, the old email kept until verify_user_attribute, a wrong code as
 * botocore's modelled CodeMismatchException, admin updates and deletions, and a code on request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

// Everything boto3 does runs in one script; it prints one JSON object for the assertions.
const BOTO3_SCRIPT = String.raw`
import json, sys, urllib.request, urllib.parse
import boto3
from botocore.config import Config

url = sys.argv[1]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}),
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
pool = idp.create_user_pool(PoolName='boto3-attributes', AutoVerifiedAttributes=['email'], AliasAttributes=['email'],
                            UserAttributeUpdateSettings={'AttributesRequireVerificationBeforeUpdate': ['email']})['UserPool']
client = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName='boto3-attributes',
    ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']

def latest(username):
    with urllib.request.urlopen(url + '/_userpool/outbox?username=' + urllib.parse.quote(username)) as res:
        return [m for m in json.load(res)['messages'] if m['code']][-1]

def strip(response):
    return {k: v for k, v in response.items() if k != 'ResponseMetadata'}

def attributes(response):
    return {a['Name']: a['Value'] for a in response.get('UserAttributes', [])}

def signs_in(login):
    try:
        idp.initiate_auth(ClientId=client['ClientId'], AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': login, 'PASSWORD': 'Correct-Horse-9'})
        return True
    except idp.exceptions.UserNotFoundException:
        return False

idp.sign_up(ClientId=client['ClientId'], Username='pyattr', Password='Correct-Horse-9', UserAttributes=[{'Name': 'email', 'Value': 'pyattr@old.example'}])
idp.confirm_sign_up(ClientId=client['ClientId'], Username='pyattr', ConfirmationCode=latest('pyattr')['code'])
token = idp.initiate_auth(ClientId=client['ClientId'], AuthFlow='USER_PASSWORD_AUTH',
                          AuthParameters={'USERNAME': 'pyattr', 'PASSWORD': 'Correct-Horse-9'})['AuthenticationResult']['AccessToken']

out['update'] = strip(idp.update_user_attributes(AccessToken=token, UserAttributes=[{'Name': 'email', 'Value': 'pyattr@new.example'}, {'Name': 'name', 'Value': 'Py'}, {'Name': 'nickname', 'Value': 'p'}]))
message = latest('pyattr')
out['sentTo'] = message['destination']
out['pending'] = attributes(idp.get_user(AccessToken=token))
out['oldSignsIn'] = signs_in('pyattr@old.example')
try:
    idp.verify_user_attribute(AccessToken=token, AttributeName='email', Code='000000' if message['code'] != '000000' else '111111')
    out['wrong'] = None
except idp.exceptions.CodeMismatchException as e:
    out['wrong'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
out['verify'] = strip(idp.verify_user_attribute(AccessToken=token, AttributeName='email', Code=message['code']))
out['verified'] = attributes(idp.get_user(AccessToken=token))
out['newSignsIn'] = signs_in('pyattr@new.example')

out['adminUpdate'] = strip(idp.admin_update_user_attributes(UserPoolId=pool['Id'], Username='pyattr',
    UserAttributes=[{'Name': 'email', 'Value': 'pyattr@admin.example'}, {'Name': 'email_verified', 'Value': 'true'}]))
out['adminDelete'] = strip(idp.admin_delete_user_attributes(UserPoolId=pool['Id'], Username='pyattr', UserAttributeNames=['name']))
out['delete'] = strip(idp.delete_user_attributes(AccessToken=token, UserAttributeNames=['nickname']))
out['afterAdmin'] = attributes(idp.admin_get_user(UserPoolId=pool['Id'], Username='pyattr'))
out['code'] = strip(idp.get_user_attribute_verification_code(AccessToken=token, AttributeName='email'))
try:
    idp.get_user_attribute_verification_code(AccessToken=token, AttributeName='name')
    out['notVerifiable'] = None
except idp.exceptions.InvalidParameterException as e:
    out['notVerifiable'] = e.response['Error']['Message']
print(json.dumps(out))
`;

const version = boto3Version();

describe('boto3 attribute changes', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`update, verify, admin update and delete, and a code on request through boto3 ${version ?? ''}`, () => {
    const run = runPython(BOTO3_SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    assert.deepEqual(out.update, { CodeDeliveryDetailsList: [{ Destination: 'p***@n***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }] });
    assert.equal(out.sentTo, 'pyattr@new.example');
    assert.deepEqual([out.pending.email, out.pending.email_verified, out.pending.name], ['pyattr@old.example', 'true', 'Py']);
    assert.equal(out.oldSignsIn, true);
    assert.deepEqual(out.wrong, { code: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.', status: 400 });
    assert.deepEqual(out.verify, {});
    assert.deepEqual([out.verified.email, out.verified.email_verified], ['pyattr@new.example', 'true']);
    assert.equal(out.newSignsIn, true);
    assert.deepEqual([out.adminUpdate, out.adminDelete, out.delete], [{}, {}, {}]);
    assert.deepEqual([out.afterAdmin.email, out.afterAdmin.email_verified, out.afterAdmin.name, out.afterAdmin.nickname], ['pyattr@admin.example', 'true', undefined, undefined]);
    assert.deepEqual(out.code, { CodeDeliveryDetails: { Destination: 'p***@a***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
    assert.equal(out.notVerifiable, 'Invalid attribute name. Only phone_number and email can be verified.');
  });
});
