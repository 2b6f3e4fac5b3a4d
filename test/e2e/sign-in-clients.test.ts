/** @module Sign-in through real clients (spec §13): amazon-cognito-identity-js SRP, NEW_PASSWORD_REQUIRED, refresh, GetUser and GlobalSignOut; aws-jwt-verify on both issuer forms; the JWKS and discovery documents. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoRefreshToken,
  type CognitoUserAttribute,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import {
  AdminCreateUserCommand,
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SCOPE = 'aws.cognito.signin.user.admin';
const WRONG = 'Wrong-Horse-0';

/** What browsers give identity-js as localStorage; Node has none, so each pool gets one of these. */
class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

type Json = Record<string, any>;

/** Header and payload of a compact JWS, decoded without verification. */
function decodeJwt(jwt: string): { header: Json; payload: Json } {
  const [header = '', payload = ''] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) };
}

/** What `authenticateUser` ended with: a session, or the NEW_PASSWORD_REQUIRED callback's arguments. */
type Outcome = { session: CognitoUserSession } | { newPasswordRequired: { userAttributes: unknown; requiredAttributes: unknown } };

/** Everything identity-js reports through onFailure: an Error with `code` and `name` set to the service's `__type`. */
type ClientError = Error & { code?: string };

function authenticate(user: CognitoUser, username: string, password: string): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ newPasswordRequired: { userAttributes, requiredAttributes } }),
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
      totpRequired: () => reject(new Error('unexpected totpRequired')),
      customChallenge: () => reject(new Error('unexpected customChallenge')),
      mfaSetup: () => reject(new Error('unexpected mfaSetup')),
      selectMFAType: () => reject(new Error('unexpected selectMFAType')),
    }),
  );
}

function sessionOf(outcome: Outcome): CognitoUserSession {
  assert.ok('session' in outcome, `expected tokens, got ${JSON.stringify(outcome)}`);
  return outcome.session;
}

async function authFailure(user: CognitoUser, username: string, password: string): Promise<{ code?: string; name: string; message: string }> {
  try {
    const outcome = await authenticate(user, username, password);
    throw new Error(`expected onFailure, got ${JSON.stringify(Object.keys(outcome))}`);
  } catch (error) {
    const e = error as ClientError;
    return { code: e.code, name: e.name, message: e.message };
  }
}

function refresh(user: CognitoUser, token: CognitoRefreshToken): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => user.refreshSession(token, (err: unknown, session: CognitoUserSession) => (err ? reject(err) : resolve(session))));
}

function attributesOf(user: CognitoUser): Promise<Record<string, string>> {
  return new Promise((resolve, reject) =>
    user.getUserAttributes((err?: Error, attributes?: CognitoUserAttribute[]) =>
      err ? reject(err) : resolve(Object.fromEntries((attributes ?? []).map((a) => [a.getName(), a.getValue()]))),
    ),
  );
}

function globalSignOut(user: CognitoUser): Promise<string> {
  return new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
}

function completeNewPassword(user: CognitoUser, newPassword: string): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.completeNewPasswordChallenge(newPassword, {}, {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
      customChallenge: () => reject(new Error('unexpected customChallenge')),
    }),
  );
}

describe('sign-in through the real client libraries', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  const confirmedUser = async (clientId: string, username: string) => {
    const out = await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
    return out.UserSub!;
  };

  /** identity-js objects for one pool: the pool (with its own storage) and a fresh CognitoUser per call. */
  const identityJs = (poolId: string, clientId: string) => {
    const storage = new MemoryStorage();
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url, Storage: storage });
    return { storage, pool, user: (username: string) => new CognitoUser({ Username: username, Pool: pool, Storage: storage }) };
  };

  test('identity-js: default SRP sign-in, token claims, wrong password, refreshSession, getUserAttributes and globalSignOut', async () => {
    // No ExplicitAuthFlows: the defaults allow SRP and refresh, not USER_PASSWORD_AUTH (spec §3.3, §13.1).
    const { poolId, clientId } = await createPool(idp);
    const sub = await confirmedUser(clientId, 'ijs-user');
    const js = identityJs(poolId, clientId);

    assert.deepEqual(await authFailure(js.user('ijs-user'), 'ijs-user', WRONG), {
      code: 'NotAuthorizedException',
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    assert.deepEqual(await authFailure(js.user('ijs-nobody'), 'ijs-nobody', PASSWORD), {
      code: 'UserNotFoundException',
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    const plain = js.user('ijs-user');
    plain.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    assert.deepEqual(await authFailure(plain, 'ijs-user', PASSWORD), {
      code: 'InvalidParameterException',
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });

    const user = js.user('ijs-user');
    const session = sessionOf(await authenticate(user, 'ijs-user', PASSWORD));
    assert.equal(session.isValid(), true);
    const id = session.getIdToken().decodePayload();
    assert.equal(id['cognito:username'], 'ijs-user');
    assert.equal(id.email_verified, true);
    assert.equal(id.email, 'ijs-user@example.com');
    assert.equal(id.aud, clientId);
    assert.equal(id.token_use, 'id');
    assert.equal(id.sub, sub);
    assert.equal(id.iss, `${server.url}/${poolId}`);
    const access = session.getAccessToken().decodePayload();
    assert.equal(access.client_id, clientId);
    assert.equal(access.token_use, 'access');
    assert.equal(access.scope, SCOPE);
    assert.equal(access.username, 'ijs-user');
    assert.equal(access.sub, sub);
    assert.equal(access.aud, undefined, 'access tokens carry client_id, not aud');
    assert.equal(access.exp - access.iat, 3600);
    assert.equal(id.exp - id.iat, 3600);
    assert.equal(access.origin_jti, id.origin_jti);
    assert.notEqual(access.jti, id.jti);
    for (const token of [session.getIdToken().getJwtToken(), session.getAccessToken().getJwtToken()]) {
      assert.deepEqual(Object.keys(decodeJwt(token).header), ['kid', 'alg']);
      assert.equal(decodeJwt(token).header.alg, 'RS256');
    }
    // identity-js kept the session where a browser app would find it again.
    assert.equal(js.storage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`), 'ijs-user');
    assert.equal(js.storage.getItem(`CognitoIdentityServiceProvider.${clientId}.ijs-user.refreshToken`), session.getRefreshToken().getToken());

    // refreshSession: InitiateAuth REFRESH_TOKEN_AUTH with DEVICE_KEY: null (identity-js sends it so); no new refresh token.
    const refreshed = await refresh(user, session.getRefreshToken());
    assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
    assert.notEqual(refreshed.getIdToken().getJwtToken(), session.getIdToken().getJwtToken());
    assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken(), 'identity-js keeps the old refresh token when none is returned');
    const again = refreshed.getAccessToken().decodePayload();
    assert.equal(again.username, 'ijs-user');
    assert.equal(again.origin_jti, access.origin_jti, 'refreshed tokens belong to the same sign-in (spec §5.3)');
    assert.equal(again.auth_time, access.auth_time);
    assert.notEqual(again.jti, access.jti);
    assert.equal(refreshed.getIdToken().decodePayload()['cognito:username'], 'ijs-user');

    assert.deepEqual(await attributesOf(user), { sub, email: 'ijs-user@example.com', email_verified: 'true' });

    assert.equal(await globalSignOut(user), 'SUCCESS');
    assert.equal(js.storage.getItem(`CognitoIdentityServiceProvider.${clientId}.ijs-user.accessToken`), null, 'identity-js cleared its cache');
    for (const token of [session.getAccessToken().getJwtToken(), refreshed.getAccessToken().getJwtToken()]) {
      await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: token })), { type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    }
    await assertRejects(() => idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: session.getRefreshToken().getToken() })), {
      type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    // A new sign-in after the global sign-out gets working tokens again.
    const fresh = sessionOf(await authenticate(js.user('ijs-user'), 'ijs-user', PASSWORD));
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: fresh.getAccessToken().getJwtToken() }))).Username, 'ijs-user');
  });

  test('identity-js: an AdminCreateUser user gets newPasswordRequired with parsed attributes, completes it and is CONFIRMED', async () => {
    const { poolId, clientId } = await createPool(idp);
    const temporary = 'Temp-Horse-7';
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ijs-admin',
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'ijs-admin@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    assert.equal((await userState(idp, poolId, 'ijs-admin')).status, 'FORCE_CHANGE_PASSWORD');
    const js = identityJs(poolId, clientId);

    // The temporary password is checked before the challenge is offered (spec §4 row 8, §14.1).
    assert.deepEqual(await authFailure(js.user('ijs-admin'), 'ijs-admin', WRONG), {
      code: 'NotAuthorizedException',
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });

    const user = js.user('ijs-admin');
    const challenged = await authenticate(user, 'ijs-admin', temporary);
    assert.ok('newPasswordRequired' in challenged, `expected newPasswordRequired, got ${JSON.stringify(challenged)}`);
    // identity-js JSON.parsed both challenge parameters and stripped the `userAttributes.` prefix.
    assert.deepEqual(challenged.newPasswordRequired, {
      userAttributes: { email: 'ijs-admin@example.com', email_verified: 'true' },
      requiredAttributes: [],
    });

    const session = sessionOf(await completeNewPassword(user, 'New-Horse-42'));
    assert.equal(session.getIdToken().decodePayload()['cognito:username'], 'ijs-admin');
    assert.equal(session.getAccessToken().decodePayload().token_use, 'access');
    assert.equal((await userState(idp, poolId, 'ijs-admin')).status, 'CONFIRMED');

    assert.deepEqual(await authFailure(js.user('ijs-admin'), 'ijs-admin', temporary), {
      code: 'NotAuthorizedException',
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    const next = sessionOf(await authenticate(js.user('ijs-admin'), 'ijs-admin', 'New-Horse-42'));
    assert.equal(next.getAccessToken().decodePayload().username, 'ijs-admin');
  });

  test('aws-jwt-verify: JwtVerifier fetches the local issuer\'s JWKS over HTTP and verifies both tokens', async () => {
    const { poolId, clientId } = await createPool(idp);
    await confirmedUser(clientId, 'ajv-local');
    const session = sessionOf(await authenticate(identityJs(poolId, clientId).user('ajv-local'), 'ajv-local', PASSWORD));
    const access = session.getAccessToken().getJwtToken();
    const idToken = session.getIdToken().getJwtToken();

    const issuer = `${server.url}/${poolId}`;
    const jwksUri = `${server.url}/${poolId}/.well-known/jwks.json`;
    // The library's own fetcher speaks HTTPS only; this one fetches over plain HTTP and records what it asked for.
    const fetched: string[] = [];
    const jwksCache = new SimpleJwksCache({
      fetcher: {
        fetch: async (uri: string) => {
          fetched.push(uri);
          const res = await fetch(uri);
          assert.equal(res.status, 200);
          return res.arrayBuffer();
        },
      },
    });
    const verifierFor = (tokenUse: 'access' | 'id') =>
      JwtVerifier.create(
        { issuer, audience: null, jwksUri, customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId }) },
        { jwksCache },
      );

    const accessPayload = await verifierFor('access').verify(access);
    assert.equal(accessPayload.iss, issuer);
    assert.equal(accessPayload.client_id, clientId);
    assert.equal(accessPayload.username, 'ajv-local');
    const idPayload = await verifierFor('id').verify(idToken);
    assert.equal(idPayload.aud, clientId);
    assert.equal(idPayload['cognito:username'], 'ajv-local');
    assert.deepEqual([...new Set(fetched)], [jwksUri]);
    await assert.rejects(verifierFor('access').verify(idToken), /Token use/u);
    await assert.rejects(verifierFor('id').verify(access), /Token use/u);

    const aws = await startTestServer({ args: ['--token-issuer', 'aws'] });
    try {
      const awsIdp = aws.client();
      const other = await createPool(awsIdp);
      await signUp(awsIdp, other.clientId, 'ajv-aws');
      await awsIdp.send(new ConfirmSignUpCommand({ ClientId: other.clientId, Username: 'ajv-aws', ConfirmationCode: await aws.latestCode('ajv-aws') }));
      const storage = new MemoryStorage();
      const pool = new CognitoUserPool({ UserPoolId: other.poolId, ClientId: other.clientId, endpoint: aws.url, Storage: storage });
      const awsSession = sessionOf(await authenticate(new CognitoUser({ Username: 'ajv-aws', Pool: pool, Storage: storage }), 'ajv-aws', PASSWORD));
      const region = other.poolId.split('_')[0];
      const awsIssuer = `https://cognito-idp.${region}.amazonaws.com/${other.poolId}`;
      const keys = (await (await fetch(`${aws.url}/${other.poolId}/.well-known/jwks.json`)).json()) as Jwks;

      const accessVerifier = CognitoJwtVerifier.create({ userPoolId: other.poolId, tokenUse: 'access', clientId: other.clientId });
      accessVerifier.cacheJwks(keys);
      const verifiedAccess = await accessVerifier.verify(awsSession.getAccessToken().getJwtToken());
      assert.equal(verifiedAccess.iss, awsIssuer);
      assert.equal(verifiedAccess.username, 'ajv-aws');
      assert.equal(accessVerifier.verifySync(awsSession.getAccessToken().getJwtToken(), { scope: SCOPE }).token_use, 'access');

      const idVerifier = CognitoJwtVerifier.create({ userPoolId: other.poolId, tokenUse: 'id', clientId: other.clientId });
      idVerifier.cacheJwks(keys);
      const verifiedId = await idVerifier.verify(awsSession.getIdToken().getJwtToken());
      assert.equal(verifiedId.iss, awsIssuer);
      assert.equal(verifiedId['cognito:username'], 'ajv-aws');
      assert.equal(verifiedId.email_verified, true);

      const discovery = (await (await fetch(`${aws.url}/${other.poolId}/.well-known/openid-configuration`)).json()) as Json;
      assert.equal(discovery.issuer, awsIssuer);
      assert.equal(discovery.jwks_uri, `${aws.url}/${other.poolId}/.well-known/jwks.json`);
      // The local-issuer tokens are not accepted by a verifier expecting the AWS issuer.
      const strict = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId });
      strict.cacheJwks((await (await fetch(jwksUri)).json()) as Jwks);
      await assert.rejects(strict.verify(access), /issuer/iu);
    } finally {
      await aws.stop();
    }
  });

  test('the JWKS and openid-configuration documents over plain HTTP', async () => {
    const { poolId, clientId } = await createPool(idp);
    await confirmedUser(clientId, 'raw-user');
    const session = sessionOf(await authenticate(identityJs(poolId, clientId).user('raw-user'), 'raw-user', PASSWORD));
    const id = decodeJwt(session.getIdToken().getJwtToken());
    const access = decodeJwt(session.getAccessToken().getJwtToken());

    const res = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/u);
    const jwks = JSON.parse(await res.text()) as { keys: Json[] };
    assert.deepEqual(Object.keys(jwks), ['keys']);
    assert.equal(jwks.keys.length, 2);
    for (const key of jwks.keys) {
      assert.deepEqual(Object.keys(key), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.equal(key.alg, 'RS256');
      assert.equal(key.e, 'AQAB');
      assert.equal(key.kty, 'RSA');
      assert.equal(key.use, 'sig');
      assert.match(key.kid, /^[A-Za-z0-9+/]{43}=$/u);
      assert.equal(key.kid.length, 44);
      assert.match(key.n, /^[A-Za-z0-9_-]+$/u, 'n is base64url without padding');
      assert.ok(Buffer.from(key.n, 'base64url').length >= 256, 'at least a 2048-bit modulus');
    }
    const kids = jwks.keys.map((k) => k.kid);
    assert.notEqual(kids[0], kids[1]);
    // One key signs ID tokens, the other access tokens (spec §10.2).
    assert.ok(kids.includes(id.header.kid) && kids.includes(access.header.kid));
    assert.notEqual(id.header.kid, access.header.kid);
    // The same keys again: stable across requests.
    assert.deepEqual(await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json(), jwks);

    const discoveryRes = await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`);
    assert.equal(discoveryRes.status, 200);
    const discovery = (await discoveryRes.json()) as Json;
    assert.equal(discovery.issuer, id.payload.iss);
    assert.equal(discovery.issuer, access.payload.iss);
    assert.equal(discovery.issuer, `${server.url}/${poolId}`);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
    const served = await fetch(discovery.jwks_uri);
    assert.equal(served.status, 200);
    assert.deepEqual(await served.json(), jwks);
  });
});
