/**
 * @module Server-side keys: AES-256-GCM for values we must read back (client secrets, queued
 * messages) and HMAC-SHA256 for values we only need to compare (confirmation codes, sessions).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

export class SecretBox {
  readonly #encKey: Buffer;
  readonly #macKey: Buffer;

  /** Separate subkeys so a leak of one purpose's material never helps with the other. */
  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new Error('master key must be at least 32 bytes');
    this.#encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'userpool/encrypt', 32));
    this.#macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'userpool/mac', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('unreadable sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed digest: a stolen database alone does not let anyone test guesses offline. */
  mac(purpose: string, value: string): string {
    return createHmac('sha256', this.#macKey).update(purpose).update('\0').update(value).digest('base64url');
  }

  /** Constant-time comparison of a candidate value against a stored digest. */
  macMatches(purpose: string, candidate: string, storedDigest: string): boolean {
    return constantTimeEqual(this.mac(purpose, candidate), storedDigest);
  }
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of the input.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
