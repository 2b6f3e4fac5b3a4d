/**
 * @module How close does signJwt come to the raw cost of an RS256 signature? Raw node:crypto
 * signatures per second on an RSA-2048 key, then signJwt of realistic access and ID tokens, one at
 * a time and with several in flight, and verifyAccessToken for comparison; prints JSON.
 * Run: `node --import tsx bench/signing-rate.ts [--seconds 2] [--inflight 8]`.
 */
import { availableParallelism } from 'node:os';
import { sign, verify } from 'node:crypto';
import { parseArgs } from 'node:util';
import { accessTokenClaims, idTokenClaims } from '../src/domain/tokens/claims.ts';
import { issuerFor } from '../src/domain/tokens/issuer.ts';
import { signJwt, verifyAccessToken } from '../src/domain/tokens/jwt.ts';
import { generateSigningKey, SigningKey } from '../src/domain/tokens/signing-keys.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, inflight: { type: 'string', default: '8' } } });
const seconds = Number(values.seconds);
const inflight = Number(values.inflight);

const key = await SigningKey.fromPem((await generateSigningKey()).privateKeyPem);
const poolId = 'us-east-1_Example01';
const issuer = issuerFor({ mode: 'local', poolId, publicUrl: 'http://localhost:9229' });
const user = {
  sub: '3c1e9f2a-8f6b-4a51-9e1d-2b7c4d5e6f70',
  username: '3c1e9f2a-8f6b-4a51-9e1d-2b7c4d5e6f70',
  attributes: {
    email: 'jane.doe@example.com', email_verified: 'true', name: 'Jane Doe', given_name: 'Jane', family_name: 'Doe',
    phone_number: '+15555550100', phone_number_verified: 'false', locale: 'en-GB', 'custom:tier': 'gold',
  },
};
const common = () => {
  const now = Date.now();
  return {
    issuer, clientId: '47r5gbil1bfhr09d5j50bekvmd', originJti: crypto.randomUUID(), eventId: crypto.randomUUID(),
    authTime: now, now, validitySeconds: 3600, groups: ['staff'],
  };
};
const access = () => accessTokenClaims({ ...common(), user });
const id = () => idTokenClaims({ ...common(), user });

/** Runs `op` for the time budget after a short warm-up; async ops are kept `width` deep. */
async function rate(op: () => unknown, width = 1): Promise<number> {
  const run = async (budgetMs: number) => {
    const end = performance.now() + budgetMs;
    let count = 0;
    const lane = async () => {
      while (performance.now() < end) {
        await op();
        count++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: width }, lane));
    return count / ((performance.now() - started) / 1000);
  };
  await run(200);
  return run(seconds * 1000);
}

/** The synchronous baseline runs in a plain loop, so no promise overhead is counted against it. */
function syncRate(op: () => unknown): number {
  const run = (budgetMs: number) => {
    const end = performance.now() + budgetMs;
    const started = performance.now();
    let count = 0;
    while (performance.now() < end) {
      op();
      count++;
    }
    return count / ((performance.now() - started) / 1000);
  };
  run(200);
  return run(seconds * 1000);
}

const sampleAccess = await signJwt(access(), key);
const sampleId = await signJwt(id(), key);
const signingInput = Buffer.from(sampleAccess.slice(0, sampleAccess.lastIndexOf('.')));
const rawSignature = sign('sha256', signingInput, key.privateKeyObject);

const rawSign = syncRate(() => sign('sha256', signingInput, key.privateKeyObject));
const rawVerify = syncRate(() => verify('sha256', signingInput, key.publicKeyObject, rawSignature));
const accessSeq = await rate(() => signJwt(access(), key));
const idSeq = await rate(() => signJwt(id(), key));
const accessPar = await rate(() => signJwt(access(), key), inflight);
const idPar = await rate(() => signJwt(id(), key), inflight);
const lookup = () => ({ key, issuer });
const verifySeq = await rate(async () => {
  if (!(await verifyAccessToken(sampleAccess, lookup, Date.now())).ok) throw new Error('bench token did not verify');
});

const round = (n: number) => Math.round(n);
const ratio = (n: number) => Math.round((n / rawSign) * 1000) / 1000;
console.log(JSON.stringify({
  node: process.version,
  cpus: availableParallelism(),
  uvThreadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
  secondsPerMeasure: seconds,
  tokenBytes: { access: sampleAccess.length, id: sampleId.length },
  perSecond: {
    rawRs256Sign: round(rawSign),
    rawRs256Verify: round(rawVerify),
    signJwtAccess: round(accessSeq),
    signJwtId: round(idSeq),
    [`signJwtAccessInflight${inflight}`]: round(accessPar),
    [`signJwtIdInflight${inflight}`]: round(idPar),
    verifyAccessToken: round(verifySeq),
  },
  ratioToRawSign: {
    signJwtAccess: ratio(accessSeq),
    signJwtId: ratio(idSeq),
    [`signJwtAccessInflight${inflight}`]: ratio(accessPar),
    [`signJwtIdInflight${inflight}`]: ratio(idPar),
  },
}, null, 2));
