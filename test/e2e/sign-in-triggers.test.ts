/** @module The triggers around sign-in (PreAuthentication, PostAuthentication, PreTokenGeneration v1 and v2) through the SDK against config-declared pools. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, functionArn, type RecordedEvent } from '../fixtures/trigger-fixtures.ts';
import { assertRejects, writeConfig, writeModule } from '../helpers/cognito.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const V1_POOL = 'us-east-1_SignInTrig1';
const V2_POOL = 'us-east-1_SignInTrig2';
const V1_CLIENT = 'signintrigv1client00000001';
const LEGACY_CLIENT = 'signintrigv1legacy00000001';
const V2_CLIENT = 'signintrigv2client00000001';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ARN = functionArn('sign-in-triggers');

/**
 * One function for every trigger: it records what it is sent, refuses when validationData asks it
 * to, and tries to change claims, including ones the server must keep for itself.
 */
const HANDLER = `
import { appendFileSync } from 'node:fs';
export async function handler(event) {
  appendFileSync(process.env.USERPOOL_FIXTURE_LOG, JSON.stringify({ fixture: 'sign-in', event }) + '\\n');
  if (event.triggerSource === 'PreAuthentication_Authentication' && event.request.validationData?.refuse) throw new Error(event.request.validationData.refuse);
  if (event.triggerSource.startsWith('TokenGeneration_') && event.version === '1') {
    event.response.claimsOverrideDetails = {
      claimsToAddOrOverride: { tier: 'gold', family_name: 'Replaced', sub: 'hijacked', 'cognito:username': 'someone-else', iss: 'https://evil' },
      claimsToSuppress: ['name', 'aud', 'token_use'],
    };
  }
  if (event.triggerSource.startsWith('TokenGeneration_') && event.version === '2') {
    event.response.claimsAndScopeOverrideDetails = {
      idTokenGeneration: { claimsToAddOrOverride: { tier: 'platinum' }, claimsToSuppress: ['name'] },
      accessTokenGeneration: {
        claimsToAddOrOverride: { plan: 'pro', client_id: 'other-client', quota: 5 },
        claimsToSuppress: ['username', 'jti'],
        scopesToAdd: ['orders/read'],
        scopesToSuppress: [],
      },
    };
  }
  return event;
}
`;

const part = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('sign-in triggers', () => {
  const log = new EventLog();
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let AWS_SDK: string;

  before(async () => {
    const config = writeConfig({
      functions: { [ARN]: { module: writeModule(HANDLER) } },
      pools: [
        {
          id: V1_POOL,
          name: 'sign-in-triggers-v1',
          settings: { LambdaConfig: { PreAuthentication: ARN, PostAuthentication: ARN, PreTokenGeneration: ARN } },
          clients: [
            { id: V1_CLIENT, name: 'v1', settings: { ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'ENABLED' } },
            { id: LEGACY_CLIENT, name: 'legacy', settings: { ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'LEGACY' } },
          ],
        },
        {
          id: V2_POOL,
          name: 'sign-in-triggers-v2',
          settings: { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN } } },
          clients: [{ id: V2_CLIENT, name: 'v2', settings: { ExplicitAuthFlows: FLOWS } }],
        },
      ],
    });
    server = await startTestServer({ args: ['--config', config], env: { USERPOOL_FIXTURE_LOG: log.file } });
    idp = server.client();
    const agent = await idp.config.defaultUserAgentProvider();
    AWS_SDK = `aws-sdk-js-${agent.find(([name]) => name === 'aws-sdk-js')?.[1]}`;
  });
  after(() => server.stop());

  const confirmed = async (poolId: string, clientId: string, username: string) => {
    await idp.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'name', Value: 'Ada' },
        ],
      }),
    );
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
  };
  const signIn = (clientId: string, username: string, metadata?: Record<string, string>) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD }, ClientMetadata: metadata }));
  const refresh = (clientId: string, token: string) => idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token } }));
  const eventsOf = (poolId: string, username: string): RecordedEvent['event'][] => log.forPool(poolId).filter((e) => e.userName === username);
  const sources = (poolId: string, username: string) => eventsOf(poolId, username).map((e) => e.triggerSource);

  test('a password sign-in sends PreAuthentication, PostAuthentication and PreTokenGeneration in that order, in the documented shapes', async () => {
    await confirmed(V1_POOL, V1_CLIENT, 'shapes');
    await signIn(V1_CLIENT, 'shapes', { source: 'web' });
    const events = eventsOf(V1_POOL, 'shapes');
    assert.deepEqual(events.map((e) => e.triggerSource), ['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_Authentication']);
    const [pre, post, tokens] = events as [RecordedEvent['event'], RecordedEvent['event'], RecordedEvent['event']];
    const attributes = pre.request.userAttributes as Record<string, string>;
    assert.match(attributes.sub!, /^[0-9a-f-]{36}$/u);
    const userAttributes = { sub: attributes.sub, email: 'shapes@example.com', name: 'Ada', 'cognito:user_status': 'CONFIRMED' };
    for (const event of events) {
      assert.deepEqual([event.version, event.region, event.userPoolId, event.userName, event.callerContext], ['1', 'us-east-1', V1_POOL, 'shapes', { awsSdkVersion: AWS_SDK, clientId: V1_CLIENT }]);
      assert.deepEqual(event.request.userAttributes, userAttributes);
    }
    // ClientMetadata from InitiateAuth reaches PreAuthentication only, as validationData.
    assert.deepEqual(pre.request, { userAttributes, validationData: { source: 'web' }, userNotFound: false });
    assert.deepEqual(pre.response, {});
    assert.deepEqual(post.request, { userAttributes, newDeviceUsed: false });
    assert.deepEqual(post.response, {});
    assert.deepEqual(tokens.request, { userAttributes, groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null } });
    assert.deepEqual(tokens.response, { claimsOverrideDetails: null });
  });

  test('PreAuthentication refuses a sign-in with its message, and nothing after it runs', async () => {
    await confirmed(V1_POOL, V1_CLIENT, 'refused');
    await assertRejects(() => signIn(V1_CLIENT, 'refused', { refuse: 'Sign-in is closed for maintenance' }), {
      type: 'UserLambdaValidationException',
      message: 'PreAuthentication failed with error Sign-in is closed for maintenance.',
    });
    assert.deepEqual(sources(V1_POOL, 'refused'), ['PreAuthentication_Authentication']);
  });

  test('unknown users reach PreAuthentication only under PreventUserExistenceErrors, flagged userNotFound', async () => {
    await assertRejects(() => signIn(V1_CLIENT, 'nobody'), { type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const [event, ...rest] = eventsOf(V1_POOL, 'nobody');
    assert.equal(rest.length, 0);
    assert.deepEqual([event?.triggerSource, event?.request], ['PreAuthentication_Authentication', { userAttributes: {}, validationData: null, userNotFound: true }]);

    await assertRejects(() => signIn(LEGACY_CLIENT, 'nobody-legacy'), { type: 'UserNotFoundException', message: 'User does not exist.' });
    assert.deepEqual(eventsOf(V1_POOL, 'nobody-legacy'), []);
    // Without the setting a known user's event has no userNotFound member at all.
    await confirmed(V1_POOL, V1_CLIENT, 'legacy-known');
    await signIn(LEGACY_CLIENT, 'legacy-known');
    assert.equal('userNotFound' in eventsOf(V1_POOL, 'legacy-known')[0]!.request, false);
  });

  test('PostAuthentication runs once per sign-in and not on refresh; refresh runs PreTokenGeneration as TokenGeneration_RefreshTokens', async () => {
    await confirmed(V1_POOL, V1_CLIENT, 'counted');
    await signIn(V1_CLIENT, 'counted');
    const second = (await signIn(V1_CLIENT, 'counted')).AuthenticationResult!;
    const refreshed = (await refresh(V1_CLIENT, second.RefreshToken!)).AuthenticationResult!;
    const all = sources(V1_POOL, 'counted');
    assert.equal(all.filter((s) => s === 'PostAuthentication_Authentication').length, 2);
    assert.equal(all.filter((s) => s === 'PreAuthentication_Authentication').length, 2);
    assert.equal(all.at(-1), 'TokenGeneration_RefreshTokens');
    assert.equal(all.filter((s) => s === 'TokenGeneration_RefreshTokens').length, 1);
    const event = eventsOf(V1_POOL, 'counted').at(-1)!;
    assert.deepEqual(event.response, { claimsOverrideDetails: null });
    // The refreshed ID token carries the function's changes too.
    assert.equal(part(refreshed.IdToken!).tier, 'gold');
  });

  test('PreTokenGeneration v1 adds and suppresses ID-token claims, leaves the server-owned ones and the access token alone', async () => {
    await confirmed(V1_POOL, V1_CLIENT, 'claims-v1');
    const result = (await signIn(V1_CLIENT, 'claims-v1')).AuthenticationResult!;
    const id = part(result.IdToken!);
    const access = part(result.AccessToken!);
    assert.equal(id.tier, 'gold');
    assert.equal(id.family_name, 'Replaced');
    assert.equal(id.name, undefined);
    assert.deepEqual([id.sub, id['cognito:username'], id.iss, id.aud, id.token_use], [access.sub, 'claims-v1', `${server.url}/${V1_POOL}`, V1_CLIENT, 'id']);
    assert.equal(id.email, 'claims-v1@example.com');
    assert.equal(access.tier, undefined);
    assert.deepEqual(Object.keys(access), ['sub', 'iss', 'client_id', 'origin_jti', 'event_id', 'token_use', 'scope', 'auth_time', 'exp', 'iat', 'jti', 'username']);
  });

  test('PreTokenGeneration v2 gets version 2 with scopes and changes both tokens', async () => {
    await confirmed(V2_POOL, V2_CLIENT, 'claims-v2');
    const result = (await signIn(V2_CLIENT, 'claims-v2')).AuthenticationResult!;
    const [event, ...rest] = eventsOf(V2_POOL, 'claims-v2');
    assert.equal(rest.length, 0, 'the v2 pool has no authentication triggers');
    assert.equal(event!.version, '2');
    assert.equal(event!.triggerSource, 'TokenGeneration_Authentication');
    assert.deepEqual(event!.request.scopes, ['aws.cognito.signin.user.admin']);
    assert.deepEqual(event!.request.groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });
    assert.deepEqual(event!.response, { claimsAndScopeOverrideDetails: null });

    const id = part(result.IdToken!);
    const access = part(result.AccessToken!);
    assert.deepEqual([id.tier, id.name], ['platinum', undefined]);
    assert.deepEqual([access.plan, access.quota, access.client_id, access.username], ['pro', 5, V2_CLIENT, 'claims-v2']);
    assert.equal(typeof access.jti, 'string');
    assert.equal(access.scope, 'aws.cognito.signin.user.admin orders/read');
    // The changed token still authorises the caller's own operations.
    const user = await idp.send(new GetUserCommand({ AccessToken: result.AccessToken! }));
    assert.equal(user.Username, 'claims-v2');

    const refreshed = (await refresh(V2_CLIENT, result.RefreshToken!)).AuthenticationResult!;
    assert.equal(eventsOf(V2_POOL, 'claims-v2').at(-1)!.triggerSource, 'TokenGeneration_RefreshTokens');
    assert.equal(part(refreshed.AccessToken!).plan, 'pro');
  });

  test('NEW_PASSWORD_REQUIRED ends with TokenGeneration_NewPasswordChallenge, and the answer\'s ClientMetadata reaches the later triggers', async () => {
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: V1_POOL, Username: 'invited', TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }] }),
    );
    const challenge = await idp.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: V1_CLIENT, AuthParameters: { USERNAME: 'invited', PASSWORD: 'Temporary-Pass-1' } }),
    );
    assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.deepEqual(sources(V1_POOL, 'invited'), ['PreAuthentication_Authentication']);
    const answered = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: V1_CLIENT,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'invited', NEW_PASSWORD: PASSWORD },
        ClientMetadata: { step: 'new-password' },
      }),
    );
    assert.equal(part(answered.AuthenticationResult!.IdToken!).tier, 'gold');
    const events = eventsOf(V1_POOL, 'invited');
    assert.deepEqual(events.map((e) => e.triggerSource), ['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_NewPasswordChallenge']);
    assert.deepEqual(events[1]!.request.clientMetadata, { step: 'new-password' });
    assert.deepEqual(events[2]!.request.clientMetadata, { step: 'new-password' });
    assert.equal((events[2]!.request.userAttributes as Record<string, string>)['cognito:user_status'], 'CONFIRMED');
  });
});
