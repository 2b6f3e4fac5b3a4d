/**
 * @module Tokens for a finished sign-in: each pool's signing keys (made at first use, kept sealed
 * in the store, parsed once per process and re-read when the copy grows old), their rotation, the
 * ID and access JWTs, the opaque refresh token, and the check every token-authorised operation
 * makes on an access token.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { errors } from '../../../domain/messages.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../../../domain/records.ts';
import { accessTokenClaims, ADMIN_SCOPE, idTokenClaims, type AccessTokenClaims } from '../../../domain/tokens/claims.ts';
import { issuerFor, type IssuerMode } from '../../../domain/tokens/issuer.ts';
import { signJwt, verifyAccessToken, type AccessTokenCheck } from '../../../domain/tokens/jwt.ts';
import { newRefreshToken, refreshTokenDigest } from '../../../domain/tokens/refresh-token.ts';
import { keyInService, keysInService } from '../../../domain/tokens/key-retention.ts';
import { generateSigningKey, jwks, SigningKey, type JwksDocument } from '../../../domain/tokens/signing-keys.ts';
import { tokenValidity } from '../../../domain/tokens/validity.ts';
import type { GroupStore } from '../../../store/group-store.ts';
import type { RefreshTokenRecord, SignInStore, SigningKeyRecord } from '../../../store/sign-in-store.ts';
import type { SecretBox } from '../../../util/secret-box.ts';
import { groupClaims, type GroupClaims } from '../groups/group-claims.ts';
import { overrideAccessClaims, overrideIdClaims, type TokenOverrides } from './claim-overrides.ts';

export interface TokenServiceOptions {
  /** `userGroups`: the one read of the user's groups each issue makes. */
  store: SignInStore & Pick<GroupStore, 'userGroups'>;
  box: SecretBox;
  issuerMode: IssuerMode;
  /** Base URL of this server, for the local issuer form. */
  publicUrl: string;
  /**
   * How old this process's copy of a pool's keys may grow before its next use re-reads them: the
   * longest another instance's rotation goes unseen here. Every instance should use the same value,
   * since retired keys are kept that much longer (see key-retention.ts). DEFAULT_KEY_CACHE_MS if unset.
   */
  keyCacheMs?: number;
}

/** One store read per pool per minute at most, and a rotation seen cluster-wide within a minute. */
export const DEFAULT_KEY_CACHE_MS = 60_000;

/**
 * Floor between the re-reads an unknown kid causes. The kid and the pool come from the token
 * before any signature is checked, so without it forged tokens could make every request a store read.
 */
const UNKNOWN_KID_RELOAD_MS = 1000;

/** The kids of the keys a rotation made. */
export interface RotatedKids {
  id: string;
  access: string;
}

/** The store holds keys of the pool that this master key cannot open. */
export class SealedKeysUnreadable extends Error {}

interface LoadedKey {
  record: SigningKeyRecord;
  key: SigningKey;
}

interface PoolKeys {
  id: SigningKey;
  access: SigningKey;
  /** Current and retired keys as loaded; the retention rule picks the ones in service at each use. */
  loaded: LoadedKey[];
}

interface CacheEntry {
  keys: Promise<PoolKeys>;
  /** Monotonic time the load began: the copy is at least that fresh. */
  startedAt: number;
  /** Whether the load makes missing keys; a load for checking only fails where a signing one would not. */
  creates: boolean;
  /** Set once loaded, so that the next load parses only keys it has not seen. */
  settled?: PoolKeys;
}

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  RefreshToken?: string;
  /** Absent only for an OAuth family granted without `openid`. */
  IdToken?: string;
}

export interface IssueRequest {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  now: number;
  /** The original authentication, kept across refreshes (spec §5.3). */
  authTime?: number;
  /** The family of a refreshed sign-in; a new sign-in starts a new one. */
  originJti?: string;
  withRefreshToken: boolean;
  /** A PreTokenGeneration answer; applied after the claims are built, so the server's own ones stay intact. */
  overrides?: IssueOverrides;
}

/**
 * What the PreTokenGeneration step hands on: the function's answer and the group claims it was
 * shown (with any roles it chose instead), so that the issue does not read the groups again.
 */
export type IssueOverrides = TokenOverrides & { groupClaims?: GroupClaims };

export class TokenService {
  readonly #o: TokenServiceOptions;
  readonly #cacheMs: number;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: TokenServiceOptions) {
    this.#o = options;
    this.#cacheMs = options.keyCacheMs ?? DEFAULT_KEY_CACHE_MS;
  }

  issuer(poolId: string): string {
    return issuerFor({ mode: this.#o.issuerMode, poolId, publicUrl: this.#o.publicUrl });
  }

  /** The pool's keys in service at `now`: the current pair and retired keys whose tokens may still be live. */
  async jwks(poolId: string, now: number): Promise<JwksDocument> {
    return jwks(this.#inService(await this.#poolKeys(poolId, now), now).map((k) => k.key));
  }

  /**
   * Makes a new ID key and a new access key and retires the current ones; this instance signs with
   * the new keys at once, other instances within the key cache age. Undefined when the pool is gone.
   */
  async rotateKeys(poolId: string, now: number): Promise<RotatedKids | undefined> {
    const [newest] = await this.#o.store.getSigningKeys(poolId);
    // Keys sealed under another master key than the servers' (a CLI run without USERPOOL_SECRET_KEY)
    // would leave every instance unable to sign for the pool, so that key must open the old ones first.
    if (newest) {
      try {
        this.#o.box.decrypt(newest.sealedPrivateKey);
      } catch {
        throw new SealedKeysUnreadable(`the master key does not open the signing keys of pool ${poolId}; use the key the servers run with (USERPOOL_SECRET_KEY)`);
      }
    }
    const [id, access] = await Promise.all([this.#newKey(poolId, 'id', now), this.#newKey(poolId, 'access', now)]);
    await this.#o.store.rotateSigningKeys(poolId, [id, access], now);
    try {
      await this.#startLoad(poolId, now, false);
    } catch (error) {
      if (error instanceof NoSuchPool) return undefined;
      throw error;
    }
    return { id: id.kid, access: access.kid };
  }

  async issue(request: IssueRequest): Promise<{ result: AuthenticationResult; refresh?: { token: string; record: RefreshTokenRecord } }> {
    const { pool, client, user, now } = request;
    const keys = await this.#poolKeys(pool.id, now);
    const validity = tokenValidity(client.settings);
    const common = {
      issuer: this.issuer(pool.id),
      clientId: client.clientId,
      originJti: request.originJti ?? randomUUID(),
      eventId: randomUUID(),
      authTime: request.authTime ?? now,
      now,
    };
    const readable = (client.settings.ReadAttributes as string[] | undefined) ?? null;
    const g = request.overrides?.groupClaims ?? (await this.groupClaims(pool.id, user.usernameKey));
    const roles = { roles: g.roles, preferredRole: g.preferredRole };
    const [access, id] = await Promise.all([
      signJwt(overrideAccessClaims(accessTokenClaims({ ...common, user, groups: g.groups, validitySeconds: validity.accessSeconds, scope: ADMIN_SCOPE }), request.overrides), keys.access),
      signJwt(overrideIdClaims(idTokenClaims({ ...common, user, groups: g.groups, ...roles, validitySeconds: validity.idSeconds, readableAttributes: readable }), request.overrides), keys.id),
    ]);
    if (!request.withRefreshToken) return { result: { AccessToken: access, ExpiresIn: validity.accessSeconds, TokenType: 'Bearer', IdToken: id } };
    const token = newRefreshToken();
    const record: RefreshTokenRecord = {
      digest: refreshTokenDigest(this.#o.box, token),
      poolId: pool.id,
      clientId: client.clientId,
      usernameKey: user.usernameKey,
      originJti: common.originJti,
      authTime: common.authTime,
      issuedAt: now,
      expiresAt: now + validity.refreshSeconds * 1000,
      revokedAt: null,
      rotatedAt: null,
    };
    // The caller stores the record in the transaction that ends the sign-in step. Members in AWS's order.
    return { result: { AccessToken: access, ExpiresIn: validity.accessSeconds, TokenType: 'Bearer', RefreshToken: token, IdToken: id }, refresh: { token, record } };
  }

  /**
   * Signs claims with the pool's current key for their use (the ID key or the access key), making
   * the keys at first use. The OAuth endpoints build their own claim sets (oauth/oauth-tokens.ts).
   */
  async sign(poolId: string, use: 'id' | 'access', claims: object, now: number): Promise<string> {
    const keys = await this.#poolKeys(poolId, now);
    return signJwt(claims, keys[use]);
  }

  /** The user's group claims as they stand now: one indexed read, made at every issue, refreshes included. */
  async groupClaims(poolId: string, usernameKey: string): Promise<GroupClaims> {
    return groupClaims(await this.#o.store.userGroups(poolId, usernameKey));
  }

  /**
   * The shared access-token check of spec §11: signature, issuer, use, expiry and scope (the admin
   * scope for the user-pool API, `openid` for userInfo), then revocation by family; throws the
   * NotAuthorizedException a real endpoint gives for each failure.
   */
  async checkAccessToken(token: string, now: number, requiredScope: string = ADMIN_SCOPE): Promise<{ claims: AccessTokenClaims; poolId: string }> {
    const poolId = poolOf(token);
    if (!poolId) throw errors.invalidAccessToken();
    const check = await this.#verify(token, poolId, now, requiredScope).catch((error: unknown) => {
      if (error instanceof NoSuchPool) throw errors.invalidAccessToken();
      throw error;
    });
    if (!check.ok) throw check.reason === 'expired' ? errors.accessTokenExpired() : check.reason === 'scope' ? errors.accessTokenScope() : errors.invalidAccessToken();
    if (await this.#o.store.familyRevoked(poolId, check.claims.origin_jti)) throw errors.accessTokenRevoked();
    return { claims: check.claims, poolId };
  }

  async #verify(token: string, poolId: string, now: number, requiredScope: string): Promise<AccessTokenCheck> {
    const keys = await this.#poolKeys(poolId, now, false);
    const issuer = this.issuer(poolId);
    return verifyAccessToken(
      token,
      async (kid) => {
        // A kid made by a rotation on another instance since this copy was read.
        const key = this.#accepted(keys, kid, now) ?? this.#accepted(await this.#reloadForUnknownKid(poolId, now), kid, now);
        return key && { key, issuer };
      },
      now,
      requiredScope,
    );
  }

  #inService(keys: PoolKeys, now: number): LoadedKey[] {
    return keys.loaded.filter((k) => keyInService(k.record, now, this.#cacheMs));
  }

  /** A key past its retention verifies nothing: its tokens have expired, and it is no longer published. */
  #accepted(keys: PoolKeys, kid: string, now: number): SigningKey | undefined {
    const found = keys.loaded.find((k) => k.record.kid === kid);
    return found && keyInService(found.record, now, this.#cacheMs) ? found.key : undefined;
  }

  #reloadForUnknownKid(poolId: string, now: number): Promise<PoolKeys> {
    const entry = this.#cache.get(poolId);
    if (entry && performance.now() - entry.startedAt < UNKNOWN_KID_RELOAD_MS) return entry.keys;
    return this.#startLoad(poolId, now, false);
  }

  /**
   * The cached copy while it is younger than the cache age, else one new load that every caller
   * arriving meanwhile shares. The age is measured on the monotonic clock: the control API's
   * movable clock says nothing about how stale a copy read from the store is.
   */
  #poolKeys(poolId: string, now: number, create = true): Promise<PoolKeys> {
    const entry = this.#cache.get(poolId);
    if (!entry || performance.now() - entry.startedAt >= this.#cacheMs) return this.#startLoad(poolId, now, create);
    if (!create || entry.creates) return entry.keys;
    // A check-only load found no keys; signing must still be able to make them.
    return entry.keys.catch((error: unknown) => {
      if (error instanceof NoSuchPool) return this.#startLoad(poolId, now, true);
      throw error;
    });
  }

  #startLoad(poolId: string, now: number, create: boolean): Promise<PoolKeys> {
    const previous = this.#cache.get(poolId)?.settled;
    const entry: CacheEntry = { keys: this.#load(poolId, now, create, previous), startedAt: performance.now(), creates: create };
    this.#cache.set(poolId, entry);
    entry.keys.then(
      (keys) => {
        entry.settled = keys;
      },
      () => {
        // A failed load (store down, no keys yet when only checking) must not stay cached.
        if (this.#cache.get(poolId) === entry) this.#cache.delete(poolId);
      },
    );
    return entry.keys;
  }

  async #load(poolId: string, now: number, create: boolean, previous: PoolKeys | undefined): Promise<PoolKeys> {
    let records = await this.#o.store.getSigningKeys(poolId);
    const missing = (['id', 'access'] as const).filter((use) => !records.some((r) => r.use === use && r.retiredAt === null));
    if (missing.length > 0) {
      if (!create) throw new NoSuchPool();
      // Made at first use rather than with the pool: RSA key generation would add ~100 ms to every CreateUserPool.
      records = await this.#o.store.addSigningKeys(await Promise.all(missing.map((use) => this.#newKey(poolId, use, now))));
    }
    // Parsing a key costs far more than reading its row, so a reload parses only keys new to this process.
    const parsed = new Map(previous?.loaded.map((k) => [k.record.kid, k.key]));
    const loaded = await Promise.all(
      keysInService(records, now, this.#cacheMs).map(async (record): Promise<LoadedKey> => ({
        record,
        key: parsed.get(record.kid) ?? (await SigningKey.fromPem(this.#o.box.decrypt(record.sealedPrivateKey), record.kid)),
      })),
    );
    const current = (use: 'id' | 'access') => {
      const found = loaded.find((k) => k.record.use === use && k.record.retiredAt === null);
      if (!found) throw new Error(`pool ${poolId} has no ${use} signing key`);
      return found.key;
    };
    return { id: current('id'), access: current('access'), loaded };
  }

  async #newKey(poolId: string, use: 'id' | 'access', now: number): Promise<SigningKeyRecord> {
    const key = await generateSigningKey();
    return { poolId, kid: key.kid, use, sealedPrivateKey: this.#o.box.encrypt(key.privateKeyPem), publicJwk: JSON.stringify(key.publicJwk), createdAt: now, retiredAt: null };
  }
}

class NoSuchPool extends Error {}

/** The pool id is the last path segment of the issuer in either form. */
function poolOf(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    const poolId = typeof iss === 'string' ? iss.slice(iss.lastIndexOf('/') + 1) : '';
    return /^[\w-]+_[0-9a-zA-Z]+$/u.test(poolId) ? poolId : undefined;
  } catch {
    return undefined;
  }
}
