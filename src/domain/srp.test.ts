/** @module SRP-6a (spec §6): the Appendix A vector end to end, refusals, the unknown-user stand-in, TIMESTAMP rules and a round trip with amazon-cognito-identity-js when it is installed. */
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  N,
  computeServerB,
  computeVerifier,
  computeX,
  createVerifier,
  formatTimestamp,
  isAcceptableA,
  isTimestampAcceptable,
  k,
  modPowBigInt,
  modPowNative,
  padHex,
  parseTimestamp,
  passwordClaimSignature,
  poolNamePart,
  serverSessionKey,
  startChallenge,
  unknownUserChallenge,
  verifyPassword,
} from './srp.ts';

const join = (text: string) => text.replace(/\s+/g, '');

// Appendix A of shared/spec/sign-in.md.
const VEC = {
  poolId: 'us-east-1_TestPool1',
  userId: 'alice',
  password: 'Passw0rd!',
  salt: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  a: 'a1'.repeat(128),
  b: 'b2'.repeat(128),
  secretBlock: 'c2VjcmV0LWJsb2NrLTAxMjM0NTY3ODlhYmNkZWY=',
  timestamp: 'Tue Nov 3 21:03:33 UTC 2026',
  k: '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6',
  x: 'afb6da75606023dca73fc1f1e4e2d9e3f139f4c0b954f7e8a31a20a6e15ab59c',
  u: 'b890a6000271ef58188bd96914a6ddc2ee567b1a87108cd8644380f3b91efd2',
  K: 'e7c541817a75f3f9811dcaf9e8fab9a0',
  signature: 'AWGik5lDe8AbonWEoeZZTazgI7ji0OH2PSZ6/C/IgYc=',
  A: join(`
c02a160ecd7f774f857baa05bd1b2ad7aebfaa860706eab803d36b0a02519016df15f42bf0bba4ebb0cf36bb07f07777
120e6cbb168a37bb685b5cb5bf13ed99bed6b6c2fdacd62a1fb99ba64da85256970fbbc9f12c68081ca066770fe7d2a6
475855dbb19243d35fa6e63616e8f32c21d5d830c3acb99ef28b416f20e1acdf8e40d4242b7cfeb5864a5123e5fbacb2
ce223f08e586910a9e81de64100acf751f366b14d5ce00bc22ca5c79db8dd8d2e0d9f68f19304f1f748cec8cbeb51865
96ed35f2088b33152191016395308af48c9fb016e0edf8526989a3a50e9b1c95830ee17bae1ff9834c3915b87ba4cd85
00635528440ae81099dd2ee4141751d0dba5e7cf0163a68241312fb1a239b8553404781a623208993b7b803bce0f7fa0
2f2fe992ed654c3efbea01ed7db620ba4b505bd072ab387d0a0f08ed9e5d7fec9bfbc22d7a5129580eca4c2a933f6f7a
aa18a1e4f3f48c27973296b5bef6af7a4b8291daf65a98ca40ad75b6c52c6a0030d423a19a1870467123d843146b2d63`),
  v: join(`
ca13bdd63046bd236e87802f5729ce8f1c4ae14857913a4fb9a1de1eb4206e9e4bb79492c01d2f3d21b208fa13a0054b
80c31fed9d450cdb37293495e9135a40b6cb7d00a1f8a8a5f3c1b9f65bd6d5e64cdf9c67f33a25ef5a95f91675042c34
2209e203fa8727fbf4259bb8d8e8220fc44682bb93d7551fb40ab64c920d3af0cc31f3000abaa70258577bb3383f3d81
3a38fc5e836fb69552ccdb361851139d6f766407afc792db1995688c605e6ce24e4463cfa4a752ebdd67e125fb6412fb
06e5939ed71a195681c4db83f621cddef98d543b190a03f1e3afe15e8bc25d94c0d7e71564075f55dbd60718e43b6f5a
91a901cb260ba0a683693e87142469511a5744f12aab9c5388c920b7b3504c4c3722c867bee113c44d679eae61068710
4f98a514dee2b2c9c42dca8dc6fe36ceea0a38b4065cdb58ed15b07a383879be364a07b1eecf4612aed508a3dde61eaa
21defac84e19c00c9790aafff0c072bd51ccf9ac03e8884603a766243dd0378ea097c7756305b629504fe98723a1bf5e`),
  B: join(`
f000e2f44a2751d1a915ebb434c20056db5405e7e122426dd6f8dd2377ce85f4c8395efc1df0380b85d26c4199627437
537d570ce09dcb508d4863beff99d503ff190009372e3abe4e0c3422cb698a03b1ec431bf2a823fdc35e514098d480be
9e898ef5ad1a7c7f8f4bd04dd06ccb517b122d5647ce17f019577f3a4c4379609c4a031f827e5dedfc35a8ba8260a01f
bbf9e63b3042ef151f821e023015b67db99b49f58a47704ce6760f12efc73ce712cf087bdf4375f1e7fb63ed1e6ae433
56bec34558fe282d0a31f9f3d73a54b93589c0b07baa4aee44731905c9e8a9b556eb2b39c12a5da88db7a8afe2b05813
e2d771b16e78db9f5a2023cddc5685715bf935714b41217bfc746803019be107f21b00c1c3c0234123cbd4dd298af24c
5b08cafd8abf9d52fee350969de70c79681b8582d17fb7b5e11a9ae900b4633955562b423ffc3175e6f71a9e02f9dce3
09183b966c602c8d275ccb2159005ca0528403eba93755078a1b7954dbf4a676513cb6efea2918784012a063fa521695`),
  S: join(`
871c1907ddf1ee0e4515e728516cef0e45a35f32982a40b69f5f344a85f961b6b4e9f4bb6b9c57202acf2da46fb414c9
1eb91a37ac697873bf14d4a29b8cdfec4cb309556c6f67f031ef8a9d05b2b5ba1efc5b0c1d11d3a61092c33cf1218412
20e66f6d8167fff0c0115ce20bb1265b6a9a39ba46b168e65a6b48e96313bdd8665cfcaf73a6b7f8ff5d66e880ea0a87
73bcb32b0580e63e674854bc8dfea71af8b86a2aaa2bec2e1329652c14387dbc62e2927c728b29e8d83ac4e268ac5ec3
618bc14259d7eb5d6a51f5477da1b423e023477429682924926e6233737bcac22acd6fdb01004d71634ad9a58e656cf6
5fd4fbff0c397cc6055d085829453b0506f84ce2fae6515d963cf6d56cbb2ade823eff353b23403f8403860ba3eefffc
8a09aaba55ef5712f05505986c05b5752ec6f6fe8683078ef9e57603959c87fe204e48394f3d4af25ceb5ffeb02b5a90
e8f938b26075919d1c1da96dd39edb19181eb75e97406de75258bbbbea15de8e80f0df02fee95da217e741b9793657a6`),
};

/**
 * The client of spec §6.2, written here from the spec alone (own padHex, hashing and modPow), so
 * that agreeing with srp.ts means two readings of the spec agree rather than one code path with itself.
 */
const client = {
  pad(n: bigint): string {
    const h = n.toString(16);
    const even = h.length % 2 ? `0${h}` : h;
    return '89abcdef'.includes(even[0]!) ? `00${even}` : even;
  },
  H: (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex'),
  pow(base: bigint, exp: bigint): bigint {
    let r = 1n;
    let b = ((base % N) + N) % N;
    for (let e = exp; e > 0n; e >>= 1n) {
      if (e & 1n) r = (r * b) % N;
      b = (b * b) % N;
    }
    return r;
  },
  int: (hex: string) => BigInt(`0x${hex}`),
  A(a: bigint): bigint {
    return client.pow(2n, a);
  },
  k(): bigint {
    return client.int(client.H(Buffer.from(client.pad(N) + client.pad(2n), 'hex')));
  },
  x(pool: string, user: string, password: string, saltHex: string): bigint {
    const inner = client.H(Buffer.from(`${pool}${user}:${password}`, 'utf8'));
    return client.int(client.H(Buffer.from(client.pad(client.int(saltHex)) + inner, 'hex')));
  },
  /** Everything the client derives after reading SALT and SRP_B; returns the values it used and the signature. */
  sign(p: { pool: string; user: string; password: string; a: bigint; saltHex: string; BHex: string; secretBlock: string; timestamp: string }) {
    const A = client.A(p.a);
    const B = client.int(p.BHex);
    const u = client.int(client.H(Buffer.from(client.pad(A) + client.pad(B), 'hex')));
    const x = client.x(p.pool, p.user, p.password, p.saltHex);
    const S = client.pow(B - client.k() * client.pow(2n, x), p.a + u * x);
    const prk = createHmac('sha256', Buffer.from(client.pad(u), 'hex')).update(Buffer.from(client.pad(S), 'hex')).digest();
    const K = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).digest().subarray(0, 16);
    const message = Buffer.concat([Buffer.from(p.pool), Buffer.from(p.user), Buffer.from(p.secretBlock, 'base64'), Buffer.from(p.timestamp)]);
    return { A, u, x, S, K, signature: createHmac('sha256', K).update(message).digest('base64') };
  },
};

const POOL = poolNamePart(VEC.poolId);

test('the pool-name part is the text after the underscore', () => {
  assert.equal(POOL, 'TestPool1');
  assert.equal(poolNamePart('us-east-1_AbC123'), 'AbC123');
  assert.throws(() => poolNamePart('nounderscore'));
});

test('padHex follows the sign-bit rule', () => {
  assert.equal(padHex(0n), '00');
  assert.equal(padHex(2n), '02');
  assert.equal(padHex(0x14n), '14');
  assert.equal(padHex(0xecn), '00ec');
  assert.equal(padHex(0xabcn), '0abc');
  assert.equal(padHex(0x8abcn), '008abc');
  assert.ok(padHex(N).startsWith('00ffff'));
  assert.equal(padHex(client.int(VEC.u)), `0${VEC.u}`);
});

test('Appendix A: k, x, v, A and B given b', () => {
  assert.equal(k.toString(16), VEC.k);
  assert.equal(client.k().toString(16), VEC.k);
  assert.equal(computeX(POOL, VEC.userId, VEC.password, VEC.salt).toString(16), VEC.x);
  assert.equal(client.x(POOL, VEC.userId, VEC.password, VEC.salt).toString(16), VEC.x);
  const v = computeVerifier(POOL, VEC.userId, VEC.password, VEC.salt);
  assert.equal(client.int(v).toString(16), VEC.v);
  assert.equal(client.A(client.int(VEC.a)).toString(16), VEC.A);
  assert.equal(computeServerB({ verifier: v, b: VEC.b }), VEC.B);
});

test('Appendix A: u, S, K and the signature agree between the client and the server', () => {
  const signed = client.sign({ pool: POOL, user: VEC.userId, password: VEC.password, a: client.int(VEC.a), saltHex: VEC.salt, BHex: VEC.B, secretBlock: VEC.secretBlock, timestamp: VEC.timestamp });
  assert.equal(signed.u.toString(16), VEC.u);
  assert.equal(signed.S.toString(16), VEC.S);
  assert.equal(signed.K.toString('hex'), VEC.K);
  assert.equal(signed.signature, VEC.signature);

  const server = serverSessionKey({ A: VEC.A, B: VEC.B, b: VEC.b, verifier: VEC.v });
  assert.ok(server);
  assert.equal(server.u.toString(16), VEC.u);
  assert.equal(server.S.toString(16), VEC.S);
  assert.equal(server.K.toString('hex'), VEC.K);
  const common = { poolName: POOL, userIdForSrp: VEC.userId, secretBlock: VEC.secretBlock, timestamp: VEC.timestamp };
  assert.equal(passwordClaimSignature({ ...common, K: server.K }), VEC.signature);
  const session = { ...common, salt: VEC.salt, verifier: VEC.v, b: VEC.b, B: VEC.B, A: VEC.A };
  assert.equal(verifyPassword({ ...session, signature: VEC.signature }), true);
  // SRP_A may arrive in any case and with leading zeros; the client parses hex as an integer.
  assert.equal(verifyPassword({ ...session, A: `00${VEC.A.toUpperCase()}`, signature: VEC.signature }), true);
});

function freshSignIn(password: string, user = 'bob') {
  const pool = 'AbC123';
  const { salt, verifier } = createVerifier(pool, user, 'Corr3ct-horse!');
  const { b, B } = startChallenge({ verifier });
  const secretBlock = randomBytes(64).toString('base64');
  const timestamp = formatTimestamp(Date.now());
  const a = client.int(randomBytes(128).toString('hex'));
  const signed = client.sign({ pool, user, password, a, saltHex: salt, BHex: B, secretBlock, timestamp });
  return { poolName: pool, userIdForSrp: user, salt, verifier, b, B, A: signed.A.toString(16), secretBlock, timestamp, signature: signed.signature };
}

test('a fresh verifier and challenge accept the right password and refuse a wrong one', () => {
  assert.equal(verifyPassword(freshSignIn('Corr3ct-horse!')), true);
  assert.equal(verifyPassword(freshSignIn('corr3ct-horse!')), false);
  assert.equal(verifyPassword(freshSignIn('')), false);
});

test('salts are 16 random bytes stored as padHex, so the client hashes exactly the stored string', () => {
  for (let i = 0; i < 50; i++) {
    const { salt } = createVerifier('P', 'u', 'p');
    assert.equal(salt, padHex(client.int(salt)));
    assert.ok(client.int(salt) < 1n << 128n && salt.length <= 34, salt);
  }
});

test('a tampered timestamp, secret block, signature, user or pool fails', () => {
  const good = freshSignIn('Corr3ct-horse!');
  assert.equal(verifyPassword(good), true);
  const t = new Date(parseTimestamp(good.timestamp)! + 1000);
  assert.equal(verifyPassword({ ...good, timestamp: formatTimestamp(t) }), false);
  assert.equal(verifyPassword({ ...good, secretBlock: randomBytes(64).toString('base64') }), false);
  const sig = Buffer.from(good.signature, 'base64');
  sig[0]! ^= 1;
  assert.equal(verifyPassword({ ...good, signature: sig.toString('base64') }), false);
  assert.equal(verifyPassword({ ...good, signature: good.signature.slice(0, 20) }), false);
  assert.equal(verifyPassword({ ...good, signature: '' }), false);
  assert.equal(verifyPassword({ ...good, userIdForSrp: 'Bob' }), false);
  assert.equal(verifyPassword({ ...good, poolName: 'AbC124' }), false);
});

test('A ≡ 0 mod N, A ≥ N and malformed A are refused', () => {
  const good = freshSignIn('Corr3ct-horse!');
  for (const A of ['0', '00', N.toString(16), (2n * N).toString(16), (N + 1n).toString(16), 'xyz', '', 'f'.repeat(2000)]) {
    assert.equal(isAcceptableA(A), false, A.slice(0, 20));
    assert.equal(serverSessionKey({ ...good, A }), undefined);
    assert.equal(verifyPassword({ ...good, A }), false);
  }
  assert.equal(isAcceptableA(good.A), true);
  assert.equal(isAcceptableA('1'), true);
});

test('the native modPow equals the BigInt one, including the bases OpenSSL refuses as peers', () => {
  const exps = [1n, 2n, 3n, client.int(randomBytes(32).toString('hex')), client.int(VEC.b)];
  const bases = [0n, 1n, 2n, N - 1n, N, N + 5n, client.int(randomBytes(384).toString('hex')), client.int(VEC.A)];
  for (const base of bases) {
    for (const e of exps) assert.equal(modPowNative(base, e), modPowBigInt(base, e), `${base.toString(16).slice(0, 8)}^${e.toString(16).slice(0, 8)}`);
  }
  assert.equal(modPowNative(5n, 0n), 1n);
  // Node pads the secret to the width of N; a small result must still read back as itself.
  assert.equal(modPowNative(2n, 8n), 256n);
  assert.equal(modPowNative(3n, 1n), 3n);
});

test('the unknown-user stand-in is stable per username, differs between usernames, and looks real', () => {
  const key = randomBytes(32);
  const one = unknownUserChallenge({ key, poolId: 'us-east-1_AbC123', username: 'nobody' });
  const again = unknownUserChallenge({ key, poolId: 'us-east-1_AbC123', username: 'nobody' });
  const other = unknownUserChallenge({ key, poolId: 'us-east-1_AbC123', username: 'somebody' });
  const otherPool = unknownUserChallenge({ key, poolId: 'us-east-1_XyZ789', username: 'nobody' });
  const otherKey = unknownUserChallenge({ key: randomBytes(32), poolId: 'us-east-1_AbC123', username: 'nobody' });
  assert.equal(again.salt, one.salt);
  assert.equal(again.userIdForSrp, one.userIdForSrp);
  assert.equal(again.verifier, one.verifier);
  assert.notEqual(again.B, one.B, 'B is fresh every time, as for a real user');
  for (const x of [other, otherPool, otherKey]) {
    assert.notEqual(x.salt, one.salt);
    assert.notEqual(x.userIdForSrp, one.userIdForSrp);
  }
  assert.match(one.userIdForSrp, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(one.salt, padHex(client.int(one.salt)));
  assert.equal(client.pow(2n, client.int(one.b)).toString(16), one.B);
  assert.ok(client.int(one.B) > 1n && client.int(one.B) < N && one.B.length > 700);
  // Step 2 can run the same verification work; no password makes it succeed.
  const timestamp = formatTimestamp(Date.now());
  const secretBlock = randomBytes(64).toString('base64');
  const signed = client.sign({ pool: 'AbC123', user: one.userIdForSrp, password: 'guess', a: 12345n, saltHex: one.salt, BHex: one.B, secretBlock, timestamp });
  assert.equal(verifyPassword({ poolName: 'AbC123', ...one, A: signed.A.toString(16), secretBlock, timestamp, signature: signed.signature }), false);
});

test('TIMESTAMP: the clients’ format, padded and unpadded days, and nothing else', () => {
  const at = Date.UTC(2024, 0, 2, 3, 4, 5);
  assert.equal(formatTimestamp(at), 'Tue Jan 2 03:04:05 UTC 2024');
  assert.equal(formatTimestamp(Date.UTC(2026, 10, 3, 21, 3, 33)), VEC.timestamp);
  assert.equal(parseTimestamp('Tue Jan 2 03:04:05 UTC 2024'), at);
  assert.equal(parseTimestamp('Tue Jan 02 03:04:05 UTC 2024'), at);
  assert.equal(parseTimestamp(VEC.timestamp), Date.UTC(2026, 10, 3, 21, 3, 33));
  assert.equal(parseTimestamp('Sun Dec 31 23:59:59 UTC 2023'), Date.UTC(2023, 11, 31, 23, 59, 59));
  for (const bad of [
    'Wed Jan 2 03:04:05 UTC 2024', // weekday does not match the date
    'Tue Jan  2 03:04:05 UTC 2024',
    'Tue Jan 2 3:04:05 UTC 2024',
    'Tue Jan 2 03:04:05 GMT 2024',
    'tue jan 2 03:04:05 UTC 2024',
    'Tue Jan 2 24:00:00 UTC 2024',
    'Tue Jan 2 03:60:05 UTC 2024',
    'Thu Feb 30 03:04:05 UTC 2024',
    'Tue Jan 0 03:04:05 UTC 2024',
    'Tue Jan 2 03:04:05 UTC 2024 ',
    '2024-01-02T03:04:05Z',
    '',
  ]) {
    assert.equal(parseTimestamp(bad), undefined, bad);
  }
});

test('TIMESTAMP skew: ±5 minutes inclusive around now', () => {
  const now = Date.UTC(2024, 0, 2, 3, 4, 5);
  const ts = (offsetMs: number) => formatTimestamp(now + offsetMs);
  assert.equal(isTimestampAcceptable(ts(0), now), true);
  assert.equal(isTimestampAcceptable(ts(5 * 60_000), now), true);
  assert.equal(isTimestampAcceptable(ts(-5 * 60_000), now), true);
  assert.equal(isTimestampAcceptable(ts(5 * 60_000 + 1000), now), false);
  assert.equal(isTimestampAcceptable(ts(-5 * 60_000 - 1000), now), false);
  assert.equal(isTimestampAcceptable('Tue Jan 02 03:09:05 UTC 2024', new Date(now)), true);
  assert.equal(isTimestampAcceptable('Tue Jan 02 03:09:06 UTC 2024', new Date(now)), false);
  assert.equal(isTimestampAcceptable('garbage', now), false);
  // Sub-second server clocks: the client's whole-second reading may trail now by up to a second.
  assert.equal(isTimestampAcceptable(ts(-5 * 60_000), now + 999), false);
  assert.equal(isTimestampAcceptable(ts(-5 * 60_000), now + 999, 5 * 60_000 + 1000), true);
});

interface AcijBigInteger {
  toString(radix: number): string;
}
interface AcijHelper {
  smallAValue: AcijBigInteger;
  largeAValue: AcijBigInteger | undefined;
  N: AcijBigInteger & { constructor: new (hex: string, radix: number) => AcijBigInteger };
  getLargeAValue(cb: (err: unknown, A: AcijBigInteger) => void): void;
  getPasswordAuthenticationKey(user: string, password: string, B: AcijBigInteger, salt: AcijBigInteger, cb: (err: unknown, key: Uint8Array) => void): void;
}

async function loadIdentityJs(): Promise<{ AuthenticationHelper: new (pool: string) => AcijHelper; DateHelper: new () => { getNowString(): string } } | undefined> {
  try {
    const mod = (await import('amazon-cognito-identity-js' as string)) as Record<string, unknown> & { default?: Record<string, unknown> };
    const lib = (mod.AuthenticationHelper ? mod : mod.default) as never;
    return lib;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

test('round trip with amazon-cognito-identity-js AuthenticationHelper', async (t) => {
  const lib = await loadIdentityJs();
  if (!lib) {
    t.skip('amazon-cognito-identity-js not installed');
    return;
  }
  const pool = poolNamePart('eu-west-1_Rt9Trip');
  const user = 'c3f1e0a2-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
  const password = 'Sümmer-2024!';
  const { salt, verifier } = createVerifier(pool, user, password);
  const secretBlock = randomBytes(96).toString('base64');

  const attempt = async (typed: string) => {
    const helper = new lib.AuthenticationHelper(pool);
    const BigInteger = helper.N.constructor;
    const A = await new Promise<AcijBigInteger>((resolve, reject) => helper.getLargeAValue((err, value) => (err ? reject(err) : resolve(value))));
    const { b, B } = startChallenge({ verifier });
    const key = await new Promise<Uint8Array>((resolve, reject) =>
      helper.getPasswordAuthenticationKey(user, typed, new BigInteger(B, 16), new BigInteger(salt, 16), (err, value) => (err ? reject(err) : resolve(value))),
    );
    const timestamp = new lib.DateHelper().getNowString();
    assert.equal(isTimestampAcceptable(timestamp, Date.now()), true);
    const message = Buffer.concat([Buffer.from(pool), Buffer.from(user), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]);
    const signature = createHmac('sha256', Buffer.from(key)).update(message).digest('base64');
    return verifyPassword({ poolName: pool, userIdForSrp: user, salt, verifier, b, B, A: A.toString(16), secretBlock, timestamp, signature });
  };
  assert.equal(await attempt(password), true);
  assert.equal(await attempt('Summer-2024!'), false);
});

test('amazon-cognito-identity-js reproduces Appendix A with the vector’s a (spec §6.7)', async (t) => {
  const lib = await loadIdentityJs();
  if (!lib) {
    t.skip('amazon-cognito-identity-js not installed');
    return;
  }
  const helper = new lib.AuthenticationHelper(POOL);
  const BigInteger = helper.N.constructor;
  helper.smallAValue = new BigInteger(VEC.a, 16);
  helper.largeAValue = undefined;
  const A = await new Promise<AcijBigInteger>((resolve, reject) => helper.getLargeAValue((err, value) => (err ? reject(err) : resolve(value))));
  assert.equal(A.toString(16), VEC.A);
  const key = await new Promise<Uint8Array>((resolve, reject) =>
    helper.getPasswordAuthenticationKey(VEC.userId, VEC.password, new BigInteger(VEC.B, 16), new BigInteger(VEC.salt, 16), (err, value) => (err ? reject(err) : resolve(value))),
  );
  assert.equal(Buffer.from(key).toString('hex'), VEC.K);
});
