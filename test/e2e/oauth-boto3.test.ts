/**
 * @module Domains, resource servers and an OAuth client through boto3 (docs/oauth.md), as a Python
 * app or IaC tool sees them; then a client_credentials token from the domain's /oauth2/token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boto3Version, PYTHON, runPython } from '../helpers/aws-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

const BOTO3_SCRIPT = String.raw`
import base64, json, sys, urllib.request
import boto3
from botocore.config import Config

url = sys.argv[1]
idp = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}),
                   aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
out = {}
strip = lambda r: {k: v for k, v in r.items() if k != 'ResponseMetadata'}
def error(call):
    try:
        call()
    except idp.exceptions.InvalidParameterException as e:
        return {'class': type(e).__name__, 'message': e.response['Error']['Message']}
    except idp.exceptions.ResourceNotFoundException as e:
        return {'class': type(e).__name__, 'message': e.response['Error']['Message']}
    return None

pool = idp.create_user_pool(PoolName='boto3-oauth')['UserPool']['Id']
out['created'] = strip(idp.create_user_pool_domain(UserPoolId=pool, Domain='py-shop'))
out['described'] = idp.describe_user_pool_domain(Domain='py-shop')['DomainDescription']
out['missing'] = idp.describe_user_pool_domain(Domain='py-none')['DomainDescription']
out['poolDomain'] = idp.describe_user_pool(UserPoolId=pool)['UserPool'].get('Domain')
other = idp.create_user_pool(PoolName='boto3-other')['UserPool']['Id']
out['taken'] = error(lambda: idp.create_user_pool_domain(UserPoolId=other, Domain='py-shop'))
out['server'] = idp.create_resource_server(UserPoolId=pool, Identifier='orders', Name='Orders',
    Scopes=[{'ScopeName': 'read', 'ScopeDescription': 'Read orders'}])['ResourceServer']
out['list'] = strip(idp.list_resource_servers(UserPoolId=pool, MaxResults=10))
out['noServer'] = error(lambda: idp.describe_resource_server(UserPoolId=pool, Identifier='nope'))
client = idp.create_user_pool_client(UserPoolId=pool, ClientName='machine', GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=['client_credentials'], AllowedOAuthScopes=['orders/read'])['UserPoolClient']
out['client'] = {k: client.get(k) for k in ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'AllowedOAuthFlowsUserPoolClient']}
out['badScope'] = error(lambda: idp.create_user_pool_client(UserPoolId=pool, ClientName='bad', AllowedOAuthScopes=['orders/write']))
basic = base64.b64encode((client['ClientId'] + ':' + client['ClientSecret']).encode()).decode()
req = urllib.request.Request(url + '/_domains/py-shop/oauth2/token', data=b'grant_type=client_credentials', method='POST',
    headers={'Content-Type': 'application/x-www-form-urlencoded', 'Authorization': 'Basic ' + basic})
with urllib.request.urlopen(req) as res:
    out['token'] = json.load(res)
out['deleted'] = strip(idp.delete_user_pool_domain(UserPoolId=pool, Domain='py-shop'))
out['afterDelete'] = idp.describe_user_pool_domain(Domain='py-shop')['DomainDescription']
print(json.dumps(out, default=str))
`;

const version = boto3Version();

describe('boto3 domains and resource servers', { skip: version ? false : `boto3 is not available to ${PYTHON} (Debian: apt-get install python3-boto3)` }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test(`domain and resource-server calls and a client_credentials token through boto3 ${version ?? ''}`, () => {
    const run = runPython(BOTO3_SCRIPT, [server.url]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    assert.deepEqual(out.created, {});
    assert.equal(out.described.Domain, 'py-shop');
    assert.equal(out.described.Status, 'ACTIVE');
    assert.equal(out.described.ManagedLoginVersion, 1);
    assert.deepEqual(out.missing, {});
    assert.equal(out.poolDomain, 'py-shop');
    assert.deepEqual(out.taken, { class: 'InvalidParameterException', message: 'Domain already associated with another user pool.' });
    assert.deepEqual(out.server.Scopes, [{ ScopeName: 'read', ScopeDescription: 'Read orders' }]);
    assert.deepEqual(out.list.ResourceServers.map((r: Json) => r.Identifier), ['orders']);
    assert.deepEqual(out.noServer, { class: 'ResourceNotFoundException', message: 'Resource server nope does not exist.' });
    assert.deepEqual(out.client, { AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['orders/read'], AllowedOAuthFlowsUserPoolClient: true });
    assert.deepEqual(out.badScope, { class: 'InvalidParameterException', message: 'Invalid scope requested: orders/write' });
    assert.deepEqual(Object.keys(out.token), ['access_token', 'expires_in', 'token_type']);
    const claims = JSON.parse(Buffer.from(String(out.token.access_token).split('.')[1]!, 'base64url').toString('utf8')) as Json;
    assert.equal(claims.scope, 'orders/read');
    assert.deepEqual(out.deleted, {});
    assert.deepEqual(out.afterDelete, {});
  });
});
