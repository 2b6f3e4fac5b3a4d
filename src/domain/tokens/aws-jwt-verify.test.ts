/** @module Our tokens through aws-jwt-verify 5.2.1 (spec §10.9): CognitoJwtVerifier for the AWS issuer, JwtVerifier for the local one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { accessTokenClaims, idTokenClaims } from './claims.ts';
import { issuerFor, jwksUriFor } from './issuer.ts';
import { signJwt } from './jwt.ts';
import { generateSigningKey, jwks, SigningKey } from './signing-keys.ts';

const POOL_ID = 'us-east-1_Example01';
const CLIENT_ID = '47r5gbil1bfhr09d5j50bekvmd';
const accessKey = await SigningKey.fromPem((await generateSigningKey()).privateKeyPem);
const idKey = await SigningKey.fromPem((await generateSigningKey()).privateKeyPem);
const keys = jwks([idKey, accessKey]);

const awsIssuer = issuerFor({ mode: 'aws', poolId: POOL_ID });
const localIssuer = issuerFor({ mode: 'local', poolId: POOL_ID, publicUrl: 'http://localhost:9229' });

const user = {
  sub: '7d0b3f8e-5c2a-4e19-b6d4-1a2b3c4d5e6f',
  username: 'jane',
  attributes: { email: 'jane@example.com', email_verified: 'true' },
};

/** The verifier checks exp against the real clock, so these tokens are minted at the real now. */
function mint(issuer: string, groups?: string[]) {
  const now = Date.now();
  const common = { issuer, clientId: CLIENT_ID, originJti: crypto.randomUUID(), eventId: crypto.randomUUID(), authTime: now, now, validitySeconds: 3600, groups };
  return Promise.all([signJwt(accessTokenClaims({ ...common, user }), accessKey), signJwt(idTokenClaims({ ...common, user }), idKey)]);
}

test('CognitoJwtVerifier accepts our AWS-form access token with the JWKS cached', async () => {
  const [access] = await mint(awsIssuer, ['admins']);
  const verifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: 'access', clientId: CLIENT_ID });
  verifier.cacheJwks(keys);
  const payload = await verifier.verify(access);
  assert.equal(payload.username, 'jane');
  assert.equal(payload.client_id, CLIENT_ID);
  assert.deepEqual(verifier.verifySync(access, { groups: 'admins' })['cognito:groups'], ['admins']);
  assert.deepEqual(verifier.verifySync(access, { scope: 'aws.cognito.signin.user.admin' }).token_use, 'access');
});

test('CognitoJwtVerifier accepts our AWS-form ID token and sees a boolean email_verified', async () => {
  const [, id] = await mint(awsIssuer);
  const verifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: 'id', clientId: CLIENT_ID });
  verifier.cacheJwks(keys);
  const payload = await verifier.verify(id);
  assert.equal(payload['cognito:username'], 'jane');
  assert.equal(payload.aud, CLIENT_ID);
  assert.equal(payload.email_verified, true);
});

test('CognitoJwtVerifier refuses the wrong token use, the wrong client and the local issuer', async () => {
  const [access, id] = await mint(awsIssuer);
  const accessVerifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: 'access', clientId: CLIENT_ID });
  accessVerifier.cacheJwks(keys);
  await assert.rejects(accessVerifier.verify(id), /Token use/u);
  const otherClient = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: 'access', clientId: 'someotherclient' });
  otherClient.cacheJwks(keys);
  await assert.rejects(otherClient.verify(access), /Client ID/u);
  const [localAccess] = await mint(localIssuer);
  await assert.rejects(accessVerifier.verify(localAccess), /issuer/iu);
});

test('the generic JwtVerifier with a customJwtCheck accepts local-issuer access and ID tokens', async () => {
  const [access, id] = await mint(localIssuer);
  for (const [token, tokenUse] of [[access, 'access'], [id, 'id']] as const) {
    const verifier = JwtVerifier.create({
      issuer: localIssuer,
      audience: null,
      jwksUri: jwksUriFor(localIssuer),
      customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId: CLIENT_ID }),
    });
    verifier.cacheJwks(keys);
    const payload = await verifier.verify(token);
    assert.equal(payload.token_use, tokenUse);
    assert.equal(payload.iss, localIssuer);
  }
});

test('the generic JwtVerifier refuses an ID token where an access token is expected', async () => {
  const [, id] = await mint(localIssuer);
  const verifier = JwtVerifier.create({
    issuer: localIssuer,
    audience: null,
    jwksUri: jwksUriFor(localIssuer),
    customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: CLIENT_ID }),
  });
  verifier.cacheJwks(keys);
  await assert.rejects(verifier.verify(id), /Token use/u);
});
