/**
 * @module Groups through boto3, as a Python app sees them: the group calls, botocore's modelled
 * exception classes for a duplicate and a missing group, its paginators over NextToken, the group
 * claims in the tokens, and delete_user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

const claims = (jwt: string): Json => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

const BOTO3_SCRIPT = String.raw`
import json, sys, urllib.request
import boto3
from botocore.config import Config

url = sys.argv[1]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}),
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
pool = idp.create_user_pool(PoolName='boto3-groups', AutoVerifiedAttributes=['email'])['UserPool']['Id']
client = idp.create_user_pool_client(UserPoolId=pool, ClientName='boto3-groups',
    ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']['ClientId']
role = 'arn:aws:iam::123456789012:role/pyrole'

def caught(call):
    try:
        call()
    except Exception as e:
        return {'class': type(e).__name__, 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
    return None

group = idp.create_group(UserPoolId=pool, GroupName='pyadmins', Description='py', RoleArn=role, Precedence=1)['Group']
out['created'] = {k: v for k, v in group.items() if k not in ('CreationDate', 'LastModifiedDate')}
out['createdDateType'] = type(group['CreationDate']).__name__
for name in ['pyb', 'pyc', 'pyd']:
    idp.create_group(UserPoolId=pool, GroupName=name)
out['duplicate'] = caught(lambda: idp.create_group(UserPoolId=pool, GroupName='pyadmins'))
out['missing'] = caught(lambda: idp.get_group(UserPoolId=pool, GroupName='nobody'))
out['pages'] = [[g['GroupName'] for g in page['Groups']] for page in idp.get_paginator('list_groups').paginate(UserPoolId=pool, PaginationConfig={'PageSize': 3})]

idp.sign_up(ClientId=client, Username='pygrouped', Password='Correct-Horse-9', UserAttributes=[{'Name': 'email', 'Value': 'pygrouped@example.com'}])
with urllib.request.urlopen(url + '/_userpool/outbox?username=pygrouped') as res:
    code = json.load(res)['messages'][-1]['code']
idp.confirm_sign_up(ClientId=client, Username='pygrouped', ConfirmationCode=code)
for name in ['pyadmins', 'pyb']:
    idp.admin_add_user_to_group(UserPoolId=pool, Username='pygrouped', GroupName=name)
idp.admin_add_user_to_group(UserPoolId=pool, Username='pygrouped', GroupName='pyb')
out['noUser'] = caught(lambda: idp.admin_add_user_to_group(UserPoolId=pool, Username='ghost', GroupName='pyb'))
out['forUser'] = [g['GroupName'] for page in idp.get_paginator('admin_list_groups_for_user').paginate(UserPoolId=pool, Username='pygrouped', PaginationConfig={'PageSize': 1}) for g in page['Groups']]
out['inGroup'] = [u['Username'] for u in idp.list_users_in_group(UserPoolId=pool, GroupName='pyb')['Users']]
tokens = idp.initiate_auth(ClientId=client, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'pygrouped', 'PASSWORD': 'Correct-Horse-9'})['AuthenticationResult']
out['tokens'] = tokens
idp.admin_remove_user_from_group(UserPoolId=pool, Username='pygrouped', GroupName='pyb')
out['afterRemove'] = [g['GroupName'] for g in idp.admin_list_groups_for_user(UserPoolId=pool, Username='pygrouped')['Groups']]
out['updated'] = idp.update_group(UserPoolId=pool, GroupName='pyadmins', Precedence=7)['Group']['Precedence']
idp.delete_group(UserPoolId=pool, GroupName='pyd')
out['deletedAgain'] = caught(lambda: idp.delete_group(UserPoolId=pool, GroupName='pyd'))
out['deleteUser'] = {k: v for k, v in idp.delete_user(AccessToken=tokens['AccessToken']).items() if k != 'ResponseMetadata'}
out['afterDelete'] = caught(lambda: idp.get_user(AccessToken=tokens['AccessToken']))
print(json.dumps(out))
`;

const version = boto3Version();

describe('boto3 groups', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`groups, memberships, group claims and delete_user through boto3 ${version ?? ''}`, () => {
    const run = runPython(BOTO3_SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    const role = 'arn:aws:iam::123456789012:role/pyrole';
    assert.deepEqual(out.created, { GroupName: 'pyadmins', UserPoolId: out.created.UserPoolId, Description: 'py', RoleArn: role, Precedence: 1 });
    assert.equal(out.createdDateType, 'datetime');
    assert.deepEqual(out.duplicate, { class: 'GroupExistsException', message: 'A group with the name pyadmins already exists.', status: 400 });
    assert.deepEqual(out.missing, { class: 'ResourceNotFoundException', message: 'Group not found.', status: 400 });
    assert.deepEqual(out.pages, [['pyadmins', 'pyb', 'pyc'], ['pyd']]);
    assert.deepEqual(out.noUser, { class: 'UserNotFoundException', message: 'User does not exist.', status: 400 });
    assert.deepEqual(out.forUser, ['pyadmins', 'pyb']);
    assert.deepEqual(out.inGroup, ['pygrouped']);
    const id = claims(out.tokens.IdToken);
    assert.deepEqual(id['cognito:groups'], ['pyadmins', 'pyb']);
    assert.deepEqual(id['cognito:roles'], [role]);
    assert.equal(id['cognito:preferred_role'], role);
    assert.deepEqual(claims(out.tokens.AccessToken)['cognito:groups'], ['pyadmins', 'pyb']);
    assert.deepEqual(out.afterRemove, ['pyadmins']);
    assert.equal(out.updated, 7);
    assert.deepEqual(out.deletedAgain, { class: 'ResourceNotFoundException', message: 'Group not found.', status: 400 });
    assert.deepEqual(out.deleteUser, {});
    assert.deepEqual(out.afterDelete, { class: 'UserNotFoundException', message: 'User does not exist.', status: 400 });
  });
});
