/**
 * @module SigV4 verification for the IAM-authorised (admin) operations in the production profile:
 * the request is signed again with the caller's claimed credentials and the signatures compared,
 * so nobody without a configured secret key can create pools or read users.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CognitoError } from '../domain/errors.ts';
import { constantTimeEqual } from '../util/secret-box.ts';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/u;
const MAX_SKEW_MS = 15 * 60 * 1000;

const invalidToken = () => new CognitoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
const badSignature = () =>
  new CognitoError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );

export class SignatureVerifier {
  readonly #keys: Map<string, string>;

  constructor(keys: readonly AccessKey[]) {
    this.#keys = new Map(keys.map((k) => [k.accessKeyId, k.secretAccessKey]));
  }

  /** Throws the AWS error a real endpoint would give for a missing, unknown or wrong signature. */
  async verify(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, now: number): Promise<void> {
    const authorization = String(headers.authorization ?? '');
    if (!authorization) throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const match = AUTH.exec(authorization);
    if (!match) throw new CognitoError('IncompleteSignatureException', 'Authorization header requires Credential, SignedHeaders and Signature.');
    const [, accessKeyId = '', , region = '', service = '', signedList = '', signature = ''] = match;
    const secretAccessKey = this.#keys.get(accessKeyId);
    if (!secretAccessKey) throw invalidToken();

    const amzDate = String(headers['x-amz-date'] ?? '');
    const signingDate = parseAmzDate(amzDate);
    if (!signingDate) throw badSignature();
    if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) throw new CognitoError('InvalidSignatureException', 'Signature expired: the request date is more than 15 minutes from the server time.');

    const signed = signedList.split(';');
    const requestHeaders: Record<string, string> = {};
    for (const name of signed) {
      const value = headers[name];
      if (value === undefined) throw badSignature();
      requestHeaders[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // The signer trusts a supplied payload hash, so the hash must first be checked against the body.
    const payloadHash = requestHeaders['x-amz-content-sha256'];
    if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(body).digest('hex')) throw badSignature();
    const [host = '', port] = (requestHeaders.host ?? '').split(':');
    const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: Hash.bind(null, 'sha256') });
    const again = await signer.sign(
      { method, protocol: 'http:', hostname: host, port: port ? Number(port) : undefined, path, query: {}, headers: requestHeaders, body },
      { signingDate, signableHeaders: new Set(signed), unsignableHeaders: new Set() },
    );
    const expected = /Signature=([0-9a-f]{64})/u.exec(String(again.headers.authorization ?? again.headers.Authorization ?? ''))?.[1] ?? '';
    if (!constantTimeEqual(expected, signature)) throw badSignature();
  }
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}
