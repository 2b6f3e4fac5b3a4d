/**
 * @module The live pools, clients and users fuzzed requests name: made through the SDK, in two
 * sets (stable and throwaway), and put back between chunks after requests delete or change them.
 */
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  CreateGroupCommand,
  CreateUserPoolDomainCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientSecretsCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FuzzRequest, RefKind } from './doc.ts';

const FIXTURE_PASSWORD = 'Fuzz-Fixture-9';
/** Every slot's pool has a group of this name, so the group operations meet a live one. */
const FIXTURE_GROUP = 'fuzz-group';

interface SlotSpec {
  pool: Partial<CreateUserPoolCommandInput>;
  client: Partial<CreateUserPoolClientCommandInput>;
  login: (generation: number) => string;
  email: (generation: number) => string;
}

/** Pools unlike each other in the ways the handlers branch on: sign-in attributes, aliases, secrets, existence errors. */
const SLOTS: readonly SlotSpec[] = [
  { pool: { AutoVerifiedAttributes: ['email'] }, client: {}, login: (g) => `fuzz-user-${g}`, email: (g) => `fuzz-user-${g}@example.com` },
  { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }, client: {}, login: (g) => `fuzz-${g}@example.com`, email: (g) => `fuzz-${g}@example.com` },
  {
    pool: {
      AliasAttributes: ['email', 'phone_number', 'preferred_username'],
      AutoVerifiedAttributes: ['email', 'phone_number'],
      DeletionProtection: 'ACTIVE',
      Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }],
    },
    client: {},
    login: (g) => `fuzz-alias-${g}`,
    email: (g) => `alias-${g}@example.com`,
  },
  { pool: { AutoVerifiedAttributes: ['email'] }, client: { GenerateSecret: true }, login: (g) => `fuzz-secret-${g}`, email: (g) => `secret-${g}@example.com` },
  {
    pool: {},
    client: { PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    login: (g) => `fuzz-quiet-${g}`,
    email: (g) => `quiet-${g}@example.com`,
  },
];

interface Slot {
  poolId: string;
  clientId: string;
  clientSecret?: string;
  secretId?: string;
  login: string;
  /** The newest confirmation code sent to the slot's user, so ConfirmSignUp can succeed now and then. */
  code?: string;
  /** The pool's hosted-UI domain prefix. */
  domain?: string;
}

const named = (error: unknown, name: string) => (error as { name?: string }).name === name;

/** Operations that delete or reset what they name; they mostly get throwaway fixtures so the others keep meeting live ones. */
const DESTRUCTIVE = /^(Admin)?(Delete|Disable|Update)/u;
/** Share of destructive requests aimed at the stable fixtures anyway, so races between a deletion and its users still happen. */
const STABLE_HIT_PERCENT = 15;

/** A mutable spec setting is one UpdateUserPool accepts; the others are fixed at creation. */
const CREATION_ONLY = ['AliasAttributes', 'UsernameAttributes', 'Schema'];

/**
 * The real pools, clients and users the generated requests name: a stable set and a throwaway
 * copy of it. Requests delete and reconfigure them, so `refresh` puts back between chunks whatever
 * went missing and returns the stable ones to their settings.
 */
export class Fixtures {
  readonly slots: Slot[] = [];
  #generation = 0;

  constructor(
    private readonly sdk: CognitoIdentityProviderClient,
    private readonly url: string,
  ) {}

  async refresh(): Promise<void> {
    for (let i = 0; i < SLOTS.length * 2; i++) {
      const spec = SLOTS[i % SLOTS.length]!;
      const stable = i < SLOTS.length;
      let slot = this.slots[i];
      if (!slot || !(await this.#exists(new DescribeUserPoolCommand({ UserPoolId: slot.poolId })))) {
        const pool = await this.sdk.send(new CreateUserPoolCommand({ PoolName: `fuzz-${i}`, ...spec.pool }));
        slot = { poolId: pool.UserPool!.Id!, clientId: '', login: '' };
        this.slots[i] = slot;
      } else if (stable) {
        const mutable = Object.fromEntries(Object.entries(spec.pool).filter(([k]) => !CREATION_ONLY.includes(k)));
        await this.sdk.send(new UpdateUserPoolCommand({ UserPoolId: slot.poolId, ...mutable }));
      }
      const described = await this.#describeClient(slot);
      if (!described) {
        const made = await this.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: slot.poolId, ClientName: `fuzz-${i}`, ...spec.client }));
        slot.clientId = made.UserPoolClient!.ClientId!;
        slot.clientSecret = made.UserPoolClient!.ClientSecret;
      } else {
        slot.clientSecret = described.ClientSecret;
        const { GenerateSecret: _, ...settings } = spec.client;
        if (stable) await this.sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: slot.poolId, ClientId: slot.clientId, ClientName: `fuzz-${i}`, ...settings }));
      }
      slot.secretId = undefined;
      if (slot.clientSecret) {
        const listed = await this.sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: slot.poolId, ClientId: slot.clientId }));
        slot.secretId = listed.ClientSecrets?.[0]?.ClientSecretId;
      }
      // A confirmed user has nothing left to confirm or resend; a fresh one keeps those paths reachable.
      let user = slot.login ? await this.#user(slot) : undefined;
      if (!user || user.UserStatus === 'CONFIRMED') {
        await this.#createUser(slot, spec);
        user = await this.#user(slot);
      } else if (stable && user.Enabled === false) {
        await this.sdk.send(new AdminEnableUserCommand({ UserPoolId: slot.poolId, Username: slot.login }));
      }
      slot.code = user?.Username ? await this.#latestCode(slot.poolId, user.Username) : undefined;
      await this.sdk.send(new CreateGroupCommand({ UserPoolId: slot.poolId, GroupName: FIXTURE_GROUP })).catch((error: unknown) => {
        if (!named(error, 'GroupExistsException')) throw error;
      });
      // Throwaway pools (which destructive requests mostly meet) keep a domain; stable ones start without one, so
      // CreateUserPoolDomain can succeed on them.
      slot.domain = await this.#domain(slot.poolId, !stable);
    }
  }

  /** How `req`'s refs read: destructive operations mostly see the throwaway slots. */
  resolverFor(req: FuzzRequest): (ref: RefKind, index: number) => string {
    const base = DESTRUCTIVE.test(req.operation) && req.aim >= STABLE_HIT_PERCENT ? SLOTS.length : 0;
    return (ref, index) => this.resolve(ref, base + (index % SLOTS.length));
  }

  resolve(ref: RefKind, index: number): string {
    const slot = this.slots[index]!;
    switch (ref) {
      case 'poolId': return slot.poolId;
      case 'clientId': return slot.clientId;
      case 'username': return slot.login;
      case 'secretId': return slot.secretId ?? `${slot.clientId}--nosuchsecret0000`;
      case 'code': return slot.code ?? '000000';
      case 'groupName': return FIXTURE_GROUP;
      case 'domain': return slot.domain ?? 'fuzz-no-domain';
      case 'secretHash':
        return slot.clientSecret ? createHmac('sha256', slot.clientSecret).update(slot.login + slot.clientId).digest('base64') : 'bm90LWEtaGFzaA==';
    }
  }

  /** The pool's domain; with `make`, one is made when a request deleted it (or the pool is new). */
  async #domain(poolId: string, make: boolean): Promise<string | undefined> {
    const existing = (await this.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Domain;
    if (existing || !make) return existing;
    const domain = `fuzz-${poolId.toLowerCase().replace(/[^a-z0-9]/gu, '-')}`;
    await this.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
    return domain;
  }

  async #exists(command: DescribeUserPoolCommand): Promise<boolean> {
    try {
      await this.sdk.send(command);
      return true;
    } catch (error) {
      if (named(error, 'ResourceNotFoundException')) return false;
      throw error;
    }
  }

  async #user(slot: Slot) {
    try {
      return await this.sdk.send(new AdminGetUserCommand({ UserPoolId: slot.poolId, Username: slot.login }));
    } catch (error) {
      if (named(error, 'UserNotFoundException')) return undefined;
      throw error;
    }
  }

  async #latestCode(poolId: string, username: string): Promise<string | undefined> {
    const res = await fetch(`${this.url}/_userpool/outbox?poolId=${encodeURIComponent(poolId)}&username=${encodeURIComponent(username)}`);
    const { messages } = (await res.json()) as { messages: { code: string | null }[] };
    return messages.filter((m) => m.code).pop()?.code ?? undefined;
  }

  async #describeClient(slot: Slot) {
    if (!slot.clientId) return undefined;
    try {
      return (await this.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: slot.poolId, ClientId: slot.clientId }))).UserPoolClient;
    } catch (error) {
      if (named(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  }

  /** An UNCONFIRMED user by SignUp where the pool (as the fuzzer left it) allows, else an invited one. */
  async #createUser(slot: Slot, spec: SlotSpec): Promise<void> {
    const generation = this.#generation++;
    slot.login = spec.login(generation);
    const attributes = [{ Name: 'email', Value: spec.email(generation) }];
    const hash = slot.clientSecret ? { SecretHash: this.resolve('secretHash', this.slots.indexOf(slot)) } : {};
    try {
      await this.sdk.send(new SignUpCommand({ ClientId: slot.clientId, Username: slot.login, Password: FIXTURE_PASSWORD, UserAttributes: attributes, ...hash }));
    } catch {
      try {
        await this.sdk.send(new AdminCreateUserCommand({ UserPoolId: slot.poolId, Username: slot.login, UserAttributes: attributes, MessageAction: 'SUPPRESS' }));
      } catch {
        // The pool may now refuse both (a policy or schema the fuzzer set); requests still name the login.
      }
    }
  }
}

