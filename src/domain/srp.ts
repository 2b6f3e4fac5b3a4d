/** @module SRP-6a as Cognito's clients compute it (spec §6, Appendix A): verifiers, the server's challenge, the password-claim check, the unknown-user stand-in and the TIMESTAMP rules. */
import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

/** RFC 5054 3072-bit group prime (spec §6.1). */
export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
const N_BYTES = Buffer.from(N_HEX, 'hex');
const G_BYTES = Buffer.from([2]);

/** Bytes of the server secret `b` (spec §6.4 step 2: as large as the client's `a`). */
export const SECRET_EXPONENT_BYTES = 128;
/** Bytes of randomness in a new salt (spec §6.3). */
export const SALT_BYTES = 16;
const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
// Wide enough for N with generous leading zeros from third-party clients; narrow enough that parsing stays cheap.
const MAX_HEX_DIGITS = 1024;

/**
 * Lower-case hex that reads as a positive two's-complement number: even length, and a `00` byte
 * in front when the top bit would otherwise be set. Clients hash these strings, not the raw integers.
 */
export function padHex(n: bigint): string {
  if (n < 0n) throw new RangeError('padHex is defined for non-negative integers only');
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of the bytes a hex string spells, as 64 hex digits (spec `hexHash`). */
export function hexHash(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

/** Any-case hex, leading zeros allowed, as the clients' `new BigInteger(hex, 16)` reads it; undefined when malformed. */
export function parseHex(hex: string): bigint | undefined {
  if (typeof hex !== 'string' || hex.length === 0 || hex.length > MAX_HEX_DIGITS || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  return BigInt(`0x${hex}`);
}

function bigToBytes(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

function bytesToBig(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

export const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

/** Square-and-multiply in BigInt: the reference the native path is tested against, and its fallback. */
export function modPowBigInt(base: bigint, exponent: bigint, modulus: bigint = N): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * base^exponent mod N in OpenSSL: a Diffie-Hellman object over N computes `peer^private mod N`,
 * so the exponent goes in as the private key and the base as the peer's public key. OpenSSL refuses
 * peers 0, 1 and N-1 as weak keys; those bases have trivial powers, so they are answered here.
 * Node pads the secret to the size of N; reading it back as an integer makes that irrelevant.
 */
export function modPowNative(base: bigint, exponent: bigint): bigint {
  const b = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (b === 0n || b === 1n) return b;
  if (b === N - 1n) return exponent & 1n ? N - 1n : 1n;
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(bigToBytes(exponent));
  return bytesToBig(dh.computeSecret(bigToBytes(b)));
}

/** The native path, falling back to BigInt if an OpenSSL build ever refuses a peer, since a slow answer beats a failed sign-in. */
function modPow(base: bigint, exponent: bigint): bigint {
  try {
    return modPowNative(base, exponent);
  } catch {
    return modPowBigInt(base, exponent);
  }
}

/** The pool-name part the clients hash: `UserPoolId.split('_')[1]` (spec §6.1). */
export function poolNamePart(userPoolId: string): string {
  const part = userPoolId.split('_')[1];
  if (!part) throw new RangeError(`not a user pool id: ${userPoolId}`);
  return part;
}

/** x = H(padHex(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password)), salt taken as the integer the client parses (spec §6.2). */
export function computeX(poolName: string, userIdForSrp: string, password: string, salt: string): bigint {
  const saltInt = parseHex(salt);
  if (saltInt === undefined) throw new RangeError('salt must be hex');
  const inner = sha256Hex(Buffer.from(`${poolName}${userIdForSrp}:${password}`, 'utf8'));
  return BigInt(`0x${hexHash(padHex(saltInt) + inner)}`);
}

/** v = g^x mod N over a given salt, as padded hex. */
export function computeVerifier(poolName: string, userIdForSrp: string, password: string, salt: string): string {
  return padHex(modPow(g, computeX(poolName, userIdForSrp, password, salt)));
}

/**
 * A new salt and verifier for a password being set. `poolName` is the pool-name part and
 * `userIdForSrp` the immutable (canonical) username, because that is what USER_ID_FOR_SRP returns
 * and what clients hash. The salt is stored already re-encoded with padHex, so the bytes we hash are
 * the bytes a client will hash after parsing SALT as an integer.
 */
export function createVerifier(poolName: string, userIdForSrp: string, password: string): { salt: string; verifier: string } {
  const salt = padHex(bytesToBig(randomBytes(SALT_BYTES)));
  return { salt, verifier: computeVerifier(poolName, userIdForSrp, password, salt) };
}

/** B = (k·v + g^b) mod N for a chosen b; undefined when B ≡ 0, which a client would refuse. */
export function computeServerB({ verifier, b }: { verifier: string; b: string }): string | undefined {
  const v = parseHex(verifier);
  const bInt = parseHex(b);
  if (v === undefined || bInt === undefined) throw new RangeError('verifier and b must be hex');
  const B = (k * v + modPow(g, bInt)) % N;
  return B === 0n ? undefined : B.toString(16);
}

/** Step 1 of USER_SRP_AUTH: a fresh secret b (keep it in the session, use it once) and SRP_B. */
export function startChallenge({ verifier }: { verifier: string }): { b: string; B: string } {
  for (;;) {
    const bInt = bytesToBig(randomBytes(SECRET_EXPONENT_BYTES));
    if (bInt === 0n) continue;
    const b = padHex(bInt);
    const B = computeServerB({ verifier, b });
    if (B !== undefined) return { b, B };
  }
}

/** SRP_A as InitiateAuth must accept it: hex for an integer 0 < A < N (A ≡ 0 mod N would fix the shared secret). */
export function isAcceptableA(srpA: string): boolean {
  const A = parseHex(srpA);
  return A !== undefined && A > 0n && A < N;
}

/** u, S = (A · v^u)^b mod N and the 16-byte HKDF key K (spec §6.4 step 4); undefined when A or u is unusable. */
export function serverSessionKey(params: { A: string; B: string; b: string; verifier: string }): { u: bigint; S: bigint; K: Buffer } | undefined {
  const A = parseHex(params.A);
  const B = parseHex(params.B);
  const b = parseHex(params.b);
  const v = parseHex(params.verifier);
  if (A === undefined || B === undefined || b === undefined || v === undefined) return undefined;
  if (A <= 0n || A >= N) return undefined;
  const u = BigInt(`0x${hexHash(padHex(A) + padHex(B))}`);
  if (u === 0n) return undefined;
  const S = modPow((A * modPow(v, u)) % N, b);
  return { u, S, K: derivedKey(S, u) };
}

/** HKDF-SHA256 with one output block: salt = bytes(padHex(u)), ikm = bytes(padHex(S)), info "Caldera Derived Key". */
function derivedKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
}

function signatureBytes(p: { poolName: string; userIdForSrp: string; K: Buffer; secretBlock: string; timestamp: string }): Buffer {
  return createHmac('sha256', p.K)
    .update(Buffer.from(p.poolName, 'utf8'))
    .update(Buffer.from(p.userIdForSrp, 'utf8'))
    // Node's base64 decoder also takes base64url and missing padding, as Amplify's decoder does.
    .update(Buffer.from(p.secretBlock, 'base64'))
    .update(Buffer.from(p.timestamp, 'utf8'))
    .digest();
}

/** PASSWORD_CLAIM_SIGNATURE for a key: base64(HMAC(K, poolName ‖ userId ‖ secretBlockBytes ‖ TIMESTAMP as sent)). */
export function passwordClaimSignature(p: { poolName: string; userIdForSrp: string; K: Buffer; secretBlock: string; timestamp: string }): string {
  return signatureBytes(p).toString('base64');
}

export interface VerifyPasswordInput {
  poolName: string;
  userIdForSrp: string;
  salt: string;
  verifier: string;
  b: string;
  B: string;
  A: string;
  /** The SECRET_BLOCK the server issued (base64); the caller checks the echoed one equals it. */
  secretBlock: string;
  /** TIMESTAMP exactly as sent; its format and skew are checked separately by isTimestampAcceptable. */
  timestamp: string;
  signature: string;
}

/**
 * Step 2: true when PASSWORD_CLAIM_SIGNATURE proves knowledge of the password behind `verifier`.
 * The salt is already inside the verifier; it is accepted so the caller passes the whole session.
 */
export function verifyPassword(input: VerifyPasswordInput): boolean {
  const keys = serverSessionKey(input);
  const given = Buffer.from(typeof input.signature === 'string' ? input.signature : '', 'base64');
  // One comparison path for every outcome; an early refusal only tells the caller that its own A was unusable.
  const expected = keys ? signatureBytes({ ...input, K: keys.K }) : randomBytes(32);
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected) && keys !== undefined;
}

/**
 * The simulated challenge for a username that does not exist under PreventUserExistenceErrors
 * ENABLED (spec §6.6): salt and USER_ID_FOR_SRP are HMACs of the pool and username, so repeated
 * attempts see the same values a real user would; B = g^b mod N for a fresh b, which is as uniform
 * as a real B. `verifier` is a keyed random stand-in so step 2 can run verifyPassword and spend the
 * same work as for a real user; it proves nothing, so the session must still be marked to fail.
 * Pass the username in the pool's canonical case, so "Alice" and "alice" get the same answer
 * where a real user would.
 */
export function unknownUserChallenge({ key, poolId, username }: { key: Buffer | string; poolId: string; username: string }): {
  salt: string;
  userIdForSrp: string;
  verifier: string;
  b: string;
  B: string;
} {
  // NUL separators keep (pool, username) pairs from colliding by concatenation.
  const mac = (label: string) => createHmac('sha256', key).update(`${label}\0${poolId}\0${username}`, 'utf8').digest();
  const salt = padHex(bytesToBig(mac('salt').subarray(0, SALT_BYTES)));
  const id = Buffer.from(mac('uid').subarray(0, 16));
  id[6] = (id[6]! & 0x0f) | 0x40;
  id[8] = (id[8]! & 0x3f) | 0x80;
  const hex = id.toString('hex');
  const userIdForSrp = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const wide = Buffer.concat(Array.from({ length: N_BYTES.length / 32 }, (_, i) => mac(`verifier-${i}`)));
  const verifier = padHex((bytesToBig(wide) % (N - 2n)) + 2n);
  let bInt = 0n;
  while (bInt === 0n) bInt = bytesToBig(randomBytes(SECRET_EXPONENT_BYTES));
  return { salt, userIdForSrp, verifier, b: padHex(bInt), B: modPow(g, bInt).toString(16) };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** The allowed distance between TIMESTAMP and the server clock (spec §5.2, §15: ±5 minutes, I). */
export const TIMESTAMP_SKEW_MS = 5 * 60 * 1000;

/** The clients' TIMESTAMP: `Tue Nov 3 21:03:33 UTC 2026`, day of month unpadded, time padded. */
export function formatTimestamp(at: Date | number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * Milliseconds since the epoch for a TIMESTAMP, or undefined when it is not one. A zero-padded day
 * (`Nov 03`, as some third-party clients send) is accepted too. The weekday must agree with the
 * date, since every client derives both from one clock reading.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = typeof text === 'string' ? TIMESTAMP.exec(text) : null;
  if (!m) return undefined;
  const [, weekday, monthName, day, hh, mm, ss, year] = m as unknown as [string, string, string, string, string, string, string, string];
  const month = MONTHS.indexOf(monthName);
  const [d, h, min, s, y] = [Number(day), Number(hh), Number(mm), Number(ss), Number(year)];
  if (month < 0 || d < 1 || h > 23 || min > 59 || s > 59) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(y, month, d);
  at.setUTCHours(h, min, s, 0);
  if (at.getUTCDate() !== d || at.getUTCMonth() !== month || WEEKDAYS[at.getUTCDay()] !== weekday) return undefined;
  return at.getTime();
}

/** Whether a TIMESTAMP parses and lies within ±skewMs (inclusive) of `now`. */
export function isTimestampAcceptable(timestamp: string, now: Date | number, skewMs: number = TIMESTAMP_SKEW_MS): boolean {
  const at = parseTimestamp(timestamp);
  return at !== undefined && Math.abs(at - new Date(now).getTime()) <= skewMs;
}
