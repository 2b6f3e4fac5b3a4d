/** @module Issuer forms and the OpenID discovery document (spec §10.8–10.9, OML §11.1). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ISSUER_MODE, issuerFor, jwksUriFor, openIdConfiguration, regionOf } from './issuer.ts';

const POOL = 'us-east-1_Example01';

test('local is the default mode, and gives <public URL>/<poolId>', () => {
  assert.equal(DEFAULT_ISSUER_MODE, 'local');
  assert.equal(issuerFor({ mode: 'local', poolId: POOL, publicUrl: 'http://localhost:9229' }), 'http://localhost:9229/us-east-1_Example01');
  assert.equal(issuerFor({ mode: 'local', poolId: POOL, publicUrl: 'https://auth.test/base//' }), 'https://auth.test/base/us-east-1_Example01');
  assert.throws(() => issuerFor({ mode: 'local', poolId: POOL }), /public URL/u);
});

test('aws mode gives the cognito-idp URL, the region taken from the pool id unless given', () => {
  assert.equal(issuerFor({ mode: 'aws', poolId: POOL }), 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example01');
  assert.equal(issuerFor({ mode: 'aws', poolId: 'eu-west-2_AbC123', publicUrl: 'http://ignored' }), 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123');
  assert.equal(issuerFor({ mode: 'aws', poolId: POOL, region: 'us-west-2' }), 'https://cognito-idp.us-west-2.amazonaws.com/us-east-1_Example01');
});

test('regionOf reads the prefix and refuses pool ids without one', () => {
  assert.equal(regionOf('us-gov-west-1_Abc'), 'us-gov-west-1');
  assert.equal(regionOf('eusc-de-east-1_Abc'), 'eusc-de-east-1');
  assert.throws(() => regionOf('Example01'));
  assert.throws(() => regionOf('us-east-1_'));
});

test('the JWKS lives at <issuer>/.well-known/jwks.json', () => {
  assert.equal(jwksUriFor('http://localhost:9229/us-east-1_Example01'), 'http://localhost:9229/us-east-1_Example01/.well-known/jwks.json');
});

test('without a domain: the captured document, endpoints under the issuer, members sorted', () => {
  const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example01';
  const doc = openIdConfiguration({ issuer });
  assert.equal(
    JSON.stringify(doc),
    JSON.stringify({
      authorization_endpoint: `${issuer}/authorize`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${issuer}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${issuer}/userInfo`,
    }),
  );
});

test('with a domain: the five endpoints on the domain, issuer and jwks_uri unchanged, still sorted', () => {
  const issuer = 'http://localhost:9229/us-east-1_Example01';
  const doc = openIdConfiguration({ issuer, domainUrl: 'https://myapp.auth.localhost:9229/', jwksUri: 'http://127.0.0.1:9229/us-east-1_Example01/.well-known/jwks.json' });
  assert.deepEqual(Object.keys(doc), [...Object.keys(doc)].sort());
  assert.equal(doc.issuer, issuer);
  assert.equal(doc.jwks_uri, 'http://127.0.0.1:9229/us-east-1_Example01/.well-known/jwks.json');
  assert.deepEqual(
    [doc.authorization_endpoint, doc.token_endpoint, doc.userinfo_endpoint, doc.revocation_endpoint, doc.end_session_endpoint],
    [
      'https://myapp.auth.localhost:9229/oauth2/authorize',
      'https://myapp.auth.localhost:9229/oauth2/token',
      'https://myapp.auth.localhost:9229/oauth2/userInfo',
      'https://myapp.auth.localhost:9229/oauth2/revoke',
      'https://myapp.auth.localhost:9229/logout',
    ],
  );
  assert.equal('code_challenge_methods_supported' in doc, false);
});

test('PKCE methods are advertised only on request, in sorted position', () => {
  const doc = openIdConfiguration({ issuer: 'http://localhost:9229/p', advertisePkce: true });
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(Object.keys(doc).slice(0, 2), ['authorization_endpoint', 'code_challenge_methods_supported']);
});
