/**
 * @module Tokens for a finished sign-in: each pool's signing keys (made at first use, kept sealed
 * in the store, parsed once per process), the ID and access JWTs, the opaque refresh token, and
 * the check every token-authorised operation makes on an access token.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { errors } from '../../../domain/messages.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../../../domain/records.ts';
import { accessTokenClaims, ADMIN_SCOPE, idTokenClaims, type AccessTokenClaims } from '../../../domain/tokens/claims.ts';
import { issuerFor, type IssuerMode } from '../../../domain/tokens/issuer.ts';
import { signJwt, verifyAccessToken } from '../../../domain/tokens/jwt.ts';
import { newRefreshToken, refreshTokenDigest } from '../../../domain/tokens/refresh-token.ts';
import { generateSigningKey, jwks, SigningKey, type JwksDocument } from '../../../domain/tokens/signing-keys.ts';
import { tokenValidity } from '../../../domain/tokens/validity.ts';
import type { RefreshTokenRecord, SignInStore, SigningKeyRecord } from '../../../store/sign-in-store.ts';
import type { SecretBox } from '../../../util/secret-box.ts';
import { overrideAccessClaims, overrideIdClaims, type TokenOverrides } from './claim-overrides.ts';

export interface TokenServiceOptions {
  store: SignInStore;
  box: SecretBox;
  issuerMode: IssuerMode;
  /** Base URL of this server, for the local issuer form. */
  publicUrl: string;
}

interface PoolKeys {
  id: SigningKey;
  access: SigningKey;
  /** Every key the pool's tokens may still be signed with, by kid. */
  byKid: Map<string, SigningKey>;
  records: SigningKeyRecord[];
}

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  RefreshToken?: string;
  IdToken: string;
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
  overrides?: TokenOverrides;
}

export class TokenService {
  readonly #o: TokenServiceOptions;
  readonly #keys = new Map<string, Promise<PoolKeys>>();

  constructor(options: TokenServiceOptions) {
    this.#o = options;
  }

  issuer(poolId: string): string {
    return issuerFor({ mode: this.#o.issuerMode, poolId, publicUrl: this.#o.publicUrl });
  }

  async jwks(poolId: string): Promise<JwksDocument> {
    return jwks((await this.#poolKeys(poolId)).byKid.values());
  }

  async issue(request: IssueRequest): Promise<{ result: AuthenticationResult; refresh?: { token: string; record: RefreshTokenRecord } }> {
    const { pool, client, user, now } = request;
    const keys = await this.#poolKeys(pool.id);
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
    const [access, id] = await Promise.all([
      signJwt(overrideAccessClaims(accessTokenClaims({ ...common, user, validitySeconds: validity.accessSeconds, scope: ADMIN_SCOPE }), request.overrides), keys.access),
      signJwt(overrideIdClaims(idTokenClaims({ ...common, user, validitySeconds: validity.idSeconds, readableAttributes: readable }), request.overrides), keys.id),
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
    };
    // The caller stores the record in the transaction that ends the sign-in step. Members in AWS's order.
    return { result: { AccessToken: access, ExpiresIn: validity.accessSeconds, TokenType: 'Bearer', RefreshToken: token, IdToken: id }, refresh: { token, record } };
  }

  /**
   * The shared access-token check of spec §11: signature, issuer, use and expiry, then revocation
   * by family; throws the NotAuthorizedException a real endpoint gives for each failure.
   */
  async checkAccessToken(token: string, now: number): Promise<{ claims: AccessTokenClaims; poolId: string }> {
    const poolId = poolOf(token);
    if (!poolId) throw errors.invalidAccessToken();
    let keys: PoolKeys;
    try {
      keys = await this.#poolKeys(poolId, false);
    } catch (error) {
      if (error instanceof NoSuchPool) throw errors.invalidAccessToken();
      throw error;
    }
    const issuer = this.issuer(poolId);
    const check = await verifyAccessToken(
      token,
      async (kid) => {
        const key = keys.byKid.get(kid) ?? (await this.#reload(poolId)).byKid.get(kid);
        return key && { key, issuer };
      },
      now,
    );
    if (!check.ok) throw check.reason === 'expired' ? errors.accessTokenExpired() : errors.invalidAccessToken();
    if (!check.claims.scope.split(' ').includes(ADMIN_SCOPE)) throw errors.accessTokenScope();
    if (await this.#o.store.familyRevoked(poolId, check.claims.origin_jti)) throw errors.accessTokenRevoked();
    return { claims: check.claims, poolId };
  }

  /** Another instance may have rotated the keys; one re-read per unknown kid settles it. */
  #reload(poolId: string): Promise<PoolKeys> {
    this.#keys.delete(poolId);
    return this.#poolKeys(poolId, false);
  }

  #poolKeys(poolId: string, create = true): Promise<PoolKeys> {
    let keys = this.#keys.get(poolId);
    if (!keys) {
      keys = this.#load(poolId, create);
      this.#keys.set(poolId, keys);
      // A failed load (store down, no keys yet when only checking) must not stay cached.
      keys.catch(() => this.#keys.delete(poolId));
    }
    return keys;
  }

  async #load(poolId: string, create: boolean): Promise<PoolKeys> {
    let records = await this.#o.store.getSigningKeys(poolId);
    const missing = (['id', 'access'] as const).filter((use) => !records.some((r) => r.use === use && r.retiredAt === null));
    if (missing.length > 0) {
      if (!create) throw new NoSuchPool();
      // Made at first use rather than with the pool: RSA key generation would add ~100 ms to every CreateUserPool.
      const made = await Promise.all(
        missing.map(async (use): Promise<SigningKeyRecord> => {
          const key = await generateSigningKey();
          return { poolId, kid: key.kid, use, sealedPrivateKey: this.#o.box.encrypt(key.privateKeyPem), publicJwk: JSON.stringify(key.publicJwk), createdAt: Date.now(), retiredAt: null };
        }),
      );
      records = await this.#o.store.addSigningKeys(made);
    }
    const byKid = new Map<string, SigningKey>();
    for (const record of records) byKid.set(record.kid, await SigningKey.fromPem(this.#o.box.decrypt(record.sealedPrivateKey), record.kid));
    const current = (use: 'id' | 'access') => {
      const record = records.find((r) => r.use === use && r.retiredAt === null);
      if (!record) throw new Error(`pool ${poolId} has no ${use} signing key`);
      return byKid.get(record.kid)!;
    };
    return { id: current('id'), access: current('access'), byKid, records };
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
