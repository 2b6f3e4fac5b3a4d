/** @module RSA signing keys for a pool's tokens (spec §10.2, §10.8): generation, the `kid` rule, the JWKS document, and keys parsed once for reuse. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, webcrypto, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsa = promisify(generateKeyPair);

type CryptoKey = webcrypto.CryptoKey;

/**
 * One JWKS entry, members in the alphabetical order AWS serves them (spec §10.8). A type alias
 * rather than an interface so it passes where JSON-object types are expected (aws-jwt-verify).
 */
export type PublicJwk = {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
};

/** What the store keeps for one key: the caller seals `privateKeyPem` before it reaches a table. */
export interface GeneratedSigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: PublicJwk;
}

export type JwksDocument = {
  keys: PublicJwk[];
};

/**
 * 44 characters of standard base64 with padding, as in AWS's JWKS. Hashing the SPKI makes the kid
 * a pure function of the public key, so it never drifts from the key it names.
 */
export function kidFor(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
}

function publicJwkFor(publicKey: KeyObject, kid: string): PublicJwk {
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (typeof n !== 'string' || typeof e !== 'string') throw new Error('not an RSA public key');
  return { alg: 'RS256', e, kid, kty: 'RSA', n, use: 'sig' };
}

/** RSA-2048 (spec §10.2, I). Asynchronous because key generation takes long enough to stall the event loop. */
export async function generateSigningKey(): Promise<GeneratedSigningKey> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const kid = kidFor(publicKey);
  return {
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: publicJwkFor(publicKey, kid),
  };
}

/**
 * The `/.well-known/jwks.json` body. Each entry is rebuilt member by member so the byte order holds
 * even when a JWK comes back from a database that reordered its JSON.
 */
export function jwks(keys: Iterable<{ publicJwk: PublicJwk }>): JwksDocument {
  const out: PublicJwk[] = [];
  for (const { publicJwk: k } of keys) out.push({ alg: 'RS256', e: k.e, kid: k.kid, kty: 'RSA', n: k.n, use: 'sig' });
  return { keys: out };
}

const RS256_IMPORT = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/**
 * A key parsed once and kept for the life of the process: parsing a PEM and importing it into
 * WebCrypto costs far more than one signature, so the hot path must never do it per request.
 * Holds the WebCrypto handles that jose signs and verifies with, and node KeyObjects for callers
 * that use node:crypto directly.
 */
export class SigningKey {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly privateKeyObject: KeyObject;
  readonly publicKeyObject: KeyObject;

  private constructor(privateKeyObject: KeyObject, publicKeyObject: KeyObject, privateKey: CryptoKey, publicKey: CryptoKey) {
    this.privateKeyObject = privateKeyObject;
    this.publicKeyObject = publicKeyObject;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = kidFor(publicKeyObject);
    this.publicJwk = publicJwkFor(publicKeyObject, this.kid);
  }

  /**
   * `expectedKid`, when given, guards against a store row whose kid and sealed key were mixed up:
   * tokens signed under the wrong kid would fail verification everywhere, long after the cause.
   */
  static async fromPem(privateKeyPem: string, expectedKid?: string): Promise<SigningKey> {
    const privateKeyObject = createPrivateKey(privateKeyPem);
    if (privateKeyObject.asymmetricKeyType !== 'rsa') throw new Error('signing keys must be RSA');
    if ((privateKeyObject.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('signing keys must be at least 2048 bits');
    const publicKeyObject = createPublicKey(privateKeyObject);
    const subtle = webcrypto.subtle;
    const [privateKey, publicKey] = await Promise.all([
      subtle.importKey('pkcs8', privateKeyObject.export({ format: 'der', type: 'pkcs8' }), RS256_IMPORT, false, ['sign']),
      subtle.importKey('spki', publicKeyObject.export({ format: 'der', type: 'spki' }), RS256_IMPORT, true, ['verify']),
    ]);
    const key = new SigningKey(privateKeyObject, publicKeyObject, privateKey, publicKey);
    if (expectedKid !== undefined && key.kid !== expectedKid) throw new Error(`private key does not match kid ${expectedKid}`);
    return key;
  }
}
