/** @module A worker thread doing the client's side of USER_SRP_AUTH (sign-in spec §6.2): (a, A) pairs made ahead, then per sign-in x, g^x, u, S, K and the password-claim signature, as Amplify and identity-js do. */
import { createHmac, randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { N, SECRET_EXPONENT_BYTES, computeX, formatTimestamp, g, hexHash, k, modPowNative, padHex, passwordClaimSignature } from '../src/domain/srp.ts';

export interface SrpWorkerData {
  poolName: string;
  password: string;
}

export interface SrpJob {
  id: number;
  pair: number;
  salt: string;
  srpB: string;
  secretBlock: string;
  userIdForSrp: string;
}

export type SrpRequest = { type: 'pairs'; count: number } | { type: 'secrets'; pairs: { a: string; A: string }[] } | ({ type: 'sign' } & SrpJob);

export type SrpReply =
  | { type: 'pairs'; pairs: { a: string; A: string }[] }
  | { type: 'ready' }
  | { type: 'signed'; id: number; timestamp: string; signature: string }
  | { type: 'failed'; id: number; message: string };

const INFO = Buffer.from('Caldera Derived Key\u0001', 'utf8');

/** 128 random bytes, as the clients' `a` (spec §6.2) and the server's `b`. */
function randomSecret(): bigint {
  return BigInt(`0x${randomBytes(SECRET_EXPONENT_BYTES).toString('hex')}`);
}

/** A client refuses an A ≡ 0 (mod N), so such an `a` is drawn again. */
function newPair(): { a: bigint; A: bigint } {
  for (;;) {
    const a = randomSecret();
    const A = modPowNative(g, a);
    if (A % N !== 0n) return { a, A };
  }
}

function claim(data: SrpWorkerData, pair: { a: bigint; A: bigint }, job: SrpJob): { timestamp: string; signature: string } {
  const B = BigInt(`0x${job.srpB}`);
  if (B % N === 0n) throw new Error('the server sent B ≡ 0 (mod N)');
  const u = BigInt(`0x${hexHash(padHex(pair.A) + padHex(B))}`);
  if (u === 0n) throw new Error('u = 0');
  const x = computeX(data.poolName, job.userIdForSrp, data.password, job.salt);
  const S = modPowNative(B - k * modPowNative(g, x), pair.a + u * x);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const K = createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
  const timestamp = formatTimestamp(Date.now());
  return { timestamp, signature: passwordClaimSignature({ poolName: data.poolName, userIdForSrp: job.userIdForSrp, K, secretBlock: job.secretBlock, timestamp }) };
}

if (parentPort) {
  const port = parentPort;
  const data = workerData as SrpWorkerData;
  let pairs: { a: bigint; A: bigint }[] = [];
  port.on('message', (message: SrpRequest) => {
    if (message.type === 'pairs') {
      const made = Array.from({ length: message.count }, newPair);
      port.postMessage({ type: 'pairs', pairs: made.map((p) => ({ a: p.a.toString(16), A: p.A.toString(16) })) } satisfies SrpReply);
    } else if (message.type === 'secrets') {
      // Every worker gets every pair, so any of them can finish any sign-in.
      pairs = message.pairs.map((p) => ({ a: BigInt(`0x${p.a}`), A: BigInt(`0x${p.A}`) }));
      port.postMessage({ type: 'ready' } satisfies SrpReply);
    } else {
      try {
        const pair = pairs[message.pair];
        if (!pair) throw new Error(`no pair ${message.pair}`);
        port.postMessage({ type: 'signed', id: message.id, ...claim(data, pair, message) } satisfies SrpReply);
      } catch (error) {
        port.postMessage({ type: 'failed', id: message.id, message: (error as Error).message } satisfies SrpReply);
      }
    }
  });
}
