/** @module SigV4 verification against requests signed by the real AWS SDK signer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignatureVerifier } from './sigv4.ts';

const key = { accessKeyId: 'AKIDADMIN', secretAccessKey: 'admin-secret-key-for-tests' };
const body = Buffer.from('{"UserPoolId":"us-east-1_abc"}');

async function signedHeaders(secretAccessKey: string, date = new Date()) {
  const signer = new SignatureV4({ credentials: { accessKeyId: key.accessKeyId, secretAccessKey }, region: 'us-east-1', service: 'cognito-idp', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9229, path: '/', query: {},
      headers: { host: '127.0.0.1:9229', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser' },
      body,
    },
    { signingDate: date },
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
}

test('a request signed with a configured key verifies', async () => {
  await new SignatureVerifier([key]).verify('POST', '/', await signedHeaders(key.secretAccessKey), body, Date.now());
});

test('a wrong secret, a changed body, an unknown key and a missing header are refused with AWS error types', async () => {
  const verifier = new SignatureVerifier([key]);
  await assert.rejects(verifier.verify('POST', '/', await signedHeaders('wrong'), body, Date.now()), { name: 'InvalidSignatureException' });
  await assert.rejects(verifier.verify('POST', '/', await signedHeaders(key.secretAccessKey), Buffer.from('{}'), Date.now()), { name: 'InvalidSignatureException' });
  await assert.rejects(new SignatureVerifier([]).verify('POST', '/', await signedHeaders(key.secretAccessKey), body, Date.now()), { name: 'UnrecognizedClientException' });
  await assert.rejects(verifier.verify('POST', '/', {}, body, Date.now()), { name: 'MissingAuthenticationTokenException' });
  const old = await signedHeaders(key.secretAccessKey, new Date(Date.now() - 3600_000));
  await assert.rejects(verifier.verify('POST', '/', old, body, Date.now()), { name: 'InvalidSignatureException', message: /expired/ });
});
