/**
 * @module Groups in tokens (docs/groups.md): `cognito:groups` in both tokens, `cognito:roles` and
 * `cognito:preferred_role` in the ID token with the precedence and tie rules, the current groups
 * on every refresh, and PreTokenGeneration shown the groups and allowed to replace them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, functionArn } from '../fixtures/trigger-fixtures.ts';
import { writeConfig, writeModule } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

const TRIGGER_POOL = 'us-east-1_GroupTokens1';
const TRIGGER_CLIENT = 'grouptokensclient000000001';
const ARN = functionArn('group-tokens');
/** Records the event; for user "overridden" it replaces the groups and the roles. */
const HANDLER = `
import { appendFileSync } from 'node:fs';
export async function handler(event) {
  appendFileSync(process.env.USERPOOL_FIXTURE_LOG, JSON.stringify({ fixture: 'groups', event }) + '\\n');
  if (event.userName === 'overridden') {
    event.response.claimsOverrideDetails = {
      groupOverrideDetails: { groupsToOverride: ['virtual'], iamRolesToOverride: ['${role('virtual')}'], preferredRole: '${role('virtual')}' },
    };
  }
  return event;
}
`;

describe('groups in tokens', () => {
  const log = new EventLog();
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    const config = writeConfig({
      functions: { [ARN]: { module: writeModule(HANDLER) } },
      pools: [
        {
          id: TRIGGER_POOL,
          name: 'group-tokens',
          settings: { LambdaConfig: { PreTokenGeneration: ARN } },
          clients: [{ id: TRIGGER_CLIENT, name: 'c', settings: { ExplicitAuthFlows: [...FLOWS] } }],
        },
      ],
    });
    server = await startTestServer({ args: ['--config', config], env: { USERPOOL_FIXTURE_LOG: log.file } });
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...FLOWS] }));
  });
  after(() => server.stop());

  const member = async (pool: string, client: string, username: string, groups: string[]) => {
    await idp.send(new SignUpCommand({ ClientId: client, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: username }));
    for (const GroupName of groups) await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: username, GroupName }));
  };
  const group = (pool: string, GroupName: string, RoleArn?: string, Precedence?: number) =>
    idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName, RoleArn, Precedence }));
  const signIn = async (client: string, username: string) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client, AuthParameters: { USERNAME: username, PASSWORD } }))).AuthenticationResult!;

  test('sign-in: both tokens list the groups; the ID token names their roles and the lowest precedence’s role', async () => {
    await group(poolId, 'writers', role('writers'), 2);
    await group(poolId, 'admins', role('admins'), 1);
    await group(poolId, 'plain');
    await member(poolId, clientId, 'grouped', ['writers', 'admins', 'plain']);
    const tokens = await signIn(clientId, 'grouped');
    const id = claims(tokens.IdToken!);
    const access = claims(tokens.AccessToken!);
    assert.deepEqual(access['cognito:groups'], ['admins', 'plain', 'writers']);
    assert.deepEqual(Object.keys(access).slice(0, 3), ['sub', 'cognito:groups', 'iss']);
    assert.equal('cognito:roles' in access || 'cognito:preferred_role' in access, false);
    assert.deepEqual(id['cognito:groups'], ['admins', 'plain', 'writers']);
    assert.deepEqual(id['cognito:roles'], [role('admins'), role('writers')]);
    assert.equal(id['cognito:preferred_role'], role('admins'));
    // No verified flags here (AdminConfirmSignUp verifies nothing), so the preferred role follows aud.
    assert.deepEqual(Object.keys(id).slice(0, 6), ['sub', 'cognito:groups', 'cognito:roles', 'aud', 'cognito:preferred_role', 'origin_jti']);

    await member(poolId, clientId, 'loner', []);
    const plain = claims((await signIn(clientId, 'loner')).IdToken!);
    assert.equal(['cognito:groups', 'cognito:roles', 'cognito:preferred_role'].some((name) => name in plain), false);
  });

  test('a tie at the lowest precedence names no preferred role unless the tied groups share one', async () => {
    await group(poolId, 'tie-a', role('a'), 5);
    await group(poolId, 'tie-b', role('b'), 5);
    await group(poolId, 'tie-c', role('a'), 5);
    await member(poolId, clientId, 'tied', ['tie-a', 'tie-b']);
    await member(poolId, clientId, 'shared', ['tie-a', 'tie-c']);
    const tied = claims((await signIn(clientId, 'tied')).IdToken!);
    assert.deepEqual(tied['cognito:roles'], [role('a'), role('b')]);
    assert.equal('cognito:preferred_role' in tied, false);
    assert.equal(claims((await signIn(clientId, 'shared')).IdToken!)['cognito:preferred_role'], role('a'));
  });

  test('every refresh reads the groups as they are now, on both refresh operations', async () => {
    await group(poolId, 'r-one', role('one'), 1);
    await group(poolId, 'r-two', role('two'), 2);
    await member(poolId, clientId, 'refresher', ['r-one', 'r-two']);
    const first = await signIn(clientId, 'refresher');
    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'refresher', GroupName: 'r-one' }));
    const viaInitiate = (await idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } })))
      .AuthenticationResult!;
    assert.deepEqual(claims(viaInitiate.AccessToken!)['cognito:groups'], ['r-two']);
    assert.equal(claims(viaInitiate.IdToken!)['cognito:preferred_role'], role('two'));

    await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'r-two', RoleArn: role('renamed') }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'refresher', GroupName: 'r-one' }));
    const viaGetTokens = (await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.RefreshToken! }))).AuthenticationResult!;
    const id = claims(viaGetTokens.IdToken!);
    assert.deepEqual(id['cognito:groups'], ['r-one', 'r-two']);
    assert.deepEqual(id['cognito:roles'], [role('one'), role('renamed')]);
    assert.equal(id['cognito:preferred_role'], role('one'));
  });

  test('PreTokenGeneration is shown the groups, roles and preferred role, and may replace all three', async () => {
    await group(TRIGGER_POOL, 'staff', role('staff'), 0);
    await group(TRIGGER_POOL, 'guests');
    await member(TRIGGER_POOL, TRIGGER_CLIENT, 'shown', ['staff', 'guests']);
    await member(TRIGGER_POOL, TRIGGER_CLIENT, 'overridden', ['staff']);

    const first = await signIn(TRIGGER_CLIENT, 'shown');
    const shown = claims(first.IdToken!);
    assert.deepEqual(shown['cognito:groups'], ['guests', 'staff']);
    const event = log.forPool(TRIGGER_POOL).find((e) => e.userName === 'shown' && e.triggerSource === 'TokenGeneration_Authentication')!;
    assert.deepEqual(event.request.groupConfiguration, { groupsToOverride: ['guests', 'staff'], iamRolesToOverride: [role('staff')], preferredRole: role('staff') });

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: TRIGGER_POOL, Username: 'shown', GroupName: 'staff' }));
    await idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: TRIGGER_CLIENT, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }));
    const onRefresh = log.forPool(TRIGGER_POOL).find((e) => e.userName === 'shown' && e.triggerSource === 'TokenGeneration_RefreshTokens')!;
    assert.deepEqual(onRefresh.request.groupConfiguration, { groupsToOverride: ['guests'], iamRolesToOverride: [], preferredRole: null });

    const tokens = await signIn(TRIGGER_CLIENT, 'overridden');
    const id = claims(tokens.IdToken!);
    assert.deepEqual(id['cognito:groups'], ['virtual']);
    assert.deepEqual(id['cognito:roles'], [role('virtual')]);
    assert.equal(id['cognito:preferred_role'], role('virtual'));
    assert.deepEqual(claims(tokens.AccessToken!)['cognito:groups'], ['virtual']);
  });
});
