/**
 * @module What a request must pass before any user is looked at: the per-pool request rules that
 * stand in for an AWS WAF web ACL (spec §9) and the per-category request-rate quotas (spec §8).
 */
import type { BlockList } from 'node:net';
import { ConfigError } from '../config/config.ts';
import { errors } from '../domain/messages.ts';
import { operations } from '../model/generated/operations.ts';
import { compileCidrs, inList } from '../util/cidrs.ts';
import { TokenBucket } from './token-bucket.ts';

/** Cognito's quota categories for the operations this server implements (DG quotas). */
const CATEGORY: Readonly<Record<string, string>> = {
  SignUp: 'UserCreation',
  ConfirmSignUp: 'UserCreation',
  AdminCreateUser: 'UserCreation',
  AdminConfirmSignUp: 'UserCreation',
  // Not stated by AWS; grouped with sign-up as the spec recommends.
  ResendConfirmationCode: 'UserCreation',
  AdminGetUser: 'UserRead',
  ListUsers: 'UserRead',
  AdminDeleteUser: 'UserUpdate',
  AdminDisableUser: 'UserUpdate',
  AdminEnableUser: 'UserUpdate',
  InitiateAuth: 'UserAuthentication',
  RespondToAuthChallenge: 'UserAuthentication',
  AdminInitiateAuth: 'UserAuthentication',
  AdminRespondToAuthChallenge: 'UserAuthentication',
  // Not stated by AWS for these; a refresh is a sign-in without a password, a sign-out an update.
  GetTokensFromRefreshToken: 'UserAuthentication',
  RevokeToken: 'UserAuthentication',
  GetUser: 'UserRead',
  GlobalSignOut: 'UserUpdate',
  AdminUserGlobalSignOut: 'UserUpdate',
  ForgotPassword: 'UserAccountRecovery',
  ConfirmForgotPassword: 'UserAccountRecovery',
  AdminResetUserPassword: 'UserUpdate',
  AdminSetUserPassword: 'UserUpdate',
  ChangePassword: 'UserUpdate',
  UpdateUserAttributes: 'UserUpdate',
  AdminUpdateUserAttributes: 'UserUpdate',
  DeleteUserAttributes: 'UserUpdate',
  AdminDeleteUserAttributes: 'UserUpdate',
  VerifyUserAttribute: 'UserUpdate',
  // Not stated by AWS; it sends a code like an attribute update does.
  GetUserAttributeVerificationCode: 'UserUpdate',
  DeleteUser: 'UserUpdate',
  AdminAddUserToGroup: 'UserUpdate',
  AdminRemoveUserFromGroup: 'UserUpdate',
  AdminListGroupsForUser: 'UserRead',
  ListUsersInGroup: 'UserRead',
  // Groups themselves, like pools and clients, are resources whose quotas this server does not apply.
};

export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  UserCreation: 50,
  UserRead: 120,
  UserUpdate: 25,
  UserAuthentication: 120,
  UserAccountRecovery: 30,
};

export interface RequestRule {
  action: 'allow' | 'block';
  /** CIDR blocks the rule matches; empty means any address. */
  cidrs?: string[];
  /** Operation names the rule matches; empty means any operation. */
  operations?: string[];
}

export interface PoolRules {
  rules: RequestRule[];
  /** What happens when no rule matches; allow when omitted. */
  defaultAction?: 'allow' | 'block';
}

interface CompiledRule {
  action: 'allow' | 'block';
  addresses?: BlockList;
  operations?: Set<string>;
}

export interface GateOptions {
  /** Requests per second per category; absent means quotas are off. */
  quotas?: Readonly<Record<string, number>>;
  rules?: Readonly<Record<string, PoolRules>>;
  /** Requests per second per caller address for public operations; absent means off. */
  perAddress?: number;
}

export class RequestGate {
  readonly #quotas?: Readonly<Record<string, number>>;
  readonly #perAddress?: number;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #rules = new Map<string, { rules: CompiledRule[]; defaultAction: 'allow' | 'block' }>();

  constructor(options: GateOptions) {
    this.#quotas = options.quotas;
    this.#perAddress = options.perAddress;
    for (const [poolId, pool] of Object.entries(options.rules ?? {})) {
      const where = `requestRules of pool ${poolId}`;
      const defaultAction = pool.defaultAction ?? 'allow';
      checkAction(defaultAction, `${where}: defaultAction`);
      if (!Array.isArray(pool.rules ?? [])) throw new ConfigError(`${where}: rules must be a list`);
      this.#rules.set(poolId, { rules: (pool.rules ?? []).map((rule, i) => compileRule(rule, `${where}: rules[${i}]`)), defaultAction });
    }
  }

  /** The WAF step: throws ForbiddenException when the pool's rules block this caller and operation. */
  checkRules(poolId: string, operation: string, sourceIp: string): void {
    const pool = this.#rules.get(poolId);
    if (!pool) return;
    const rule = pool.rules.find(
      (r) => (!r.operations || r.operations.has(operation)) && (!r.addresses || inList(r.addresses, sourceIp)),
    );
    if ((rule?.action ?? pool.defaultAction) === 'block') throw errors.wafBlock();
  }

  /**
   * The quota step: throws TooManyRequestsException when the operation's category is over its
   * rate, or, for public operations, when one caller address is over its own rate.
   */
  checkRate(operation: string, now: number, address?: string): void {
    // The caller's own bucket first: a flood refused there must not spend the tokens everyone shares.
    if (address !== undefined && this.#perAddress && !this.#take(`address:${address}`, this.#perAddress, now)) throw errors.rateExceeded();
    const category = CATEGORY[operation];
    const rate = category && this.#quotas?.[category];
    if (category && rate && !this.#take(`category:${category}`, rate, now)) throw errors.rateExceeded();
  }

  #take(key: string, rate: number, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      // Address buckets are many and short-lived; drop the lot rather than grow without bound.
      if (this.#buckets.size > 100_000) this.#buckets.clear();
      bucket = new TokenBucket(rate, rate, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.allowAt(now);
  }
}

/**
 * A rule file is untyped JSON or YAML, and a rule that silently never matches is a block that never
 * happens: every action, address and operation name is checked when the server starts.
 */
function compileRule(rule: RequestRule, where: string): CompiledRule {
  checkAction(rule?.action, `${where}.action`);
  const compiled: CompiledRule = { action: rule.action };
  if (rule.cidrs?.length) compiled.addresses = compileCidrs(rule.cidrs, `${where}.cidrs`);
  if (rule.operations?.length) {
    const unknown = rule.operations.filter((name) => !Object.hasOwn(operations, name));
    if (unknown.length) throw new ConfigError(`${where}.operations: ${unknown.map((n) => `"${n}"`).join(', ')} is not a Cognito operation name`);
    compiled.operations = new Set(rule.operations);
  }
  return compiled;
}

function checkAction(action: unknown, where: string): asserts action is 'allow' | 'block' {
  if (action !== 'allow' && action !== 'block') throw new ConfigError(`${where} must be "allow" or "block", got ${JSON.stringify(action)}`);
}
