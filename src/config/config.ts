/** @module Server configuration: defaults, then the config file, then environment, then flags; checked once at start. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { PoolLimits } from '../domain/records.ts';
import type { PoolRules } from '../limits/request-gate.ts';
import { parseTrustProxy, type TrustProxy } from '../protocol/client-address.ts';
import { DEFAULT_QUOTAS } from '../limits/request-gate.ts';
import type { LogFormat } from '../util/logger.ts';
import type { IssuerMode } from '../domain/tokens/issuer.ts';
import { DEFAULT_LOCKOUT, type LockoutPolicy } from '../domain/lockout.ts';

export class ConfigError extends Error {}

export interface ClientDeclaration {
  id?: string;
  name: string;
  /** A fixed secret for teams that commit their setup; omit for a public client. */
  secret?: string;
  generateSecret?: boolean;
  settings?: Record<string, unknown>;
}

export interface PoolDeclaration {
  id?: string;
  name: string;
  settings?: Record<string, unknown>;
  limits?: Partial<PoolLimits>;
  requestRules?: PoolRules;
  clients?: ClientDeclaration[];
}

export interface FunctionDeclaration {
  /** A local module exporting `handler(event)`. */
  module?: string;
  /** An HTTP endpoint that receives the event as a signed JSON POST. */
  url?: string;
  /** An AWS Lambda Invoke API endpoint (a real Region or any compatible server). */
  lambda?: { endpoint?: string; region?: string };
  /** Signing key for `url` functions (Standard Webhooks HMAC-SHA256); see docs/triggers.md. */
  secret?: string;
}

export interface SmsDeclaration {
  sender: 'outbox' | 'webhook' | 'sns';
  url?: string;
  endpoint?: string;
  region?: string;
  /** Signing key for the webhook sender, as for `url` functions. */
  secret?: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  db: string;
  smtpUrl?: string;
  region: string;
  accountId: string;
  profile: 'local' | 'production';
  /** Master key (≥ 32 bytes, hex or base64) for sealing secrets and keying code digests. */
  secretKey?: string;
  publicUrl?: string;
  bodyLimit: number;
  modelledStatusCodes: boolean;
  /** Proxies in front of the server whose X-Forwarded-For entries are believed: off, hops, or CIDR blocks. */
  trustProxy: TrustProxy;
  /** Open connections beyond this are refused, so one client cannot exhaust file descriptors. */
  maxConnections: number;
  /** Headers and body must arrive within this many seconds, or the request is answered 408. */
  requestTimeoutSeconds: number;
  /** Host names besides loopback ones that may reach the local control API (DNS-rebinding guard). */
  controlHosts: string[];
  /** Requests per second per quota category; absent in the local profile unless configured. */
  quotas?: Record<string, number>;
  /** Requests per second per caller address on public operations; 0 turns the limit off. */
  perAddressRps?: number;
  logLevel: string;
  /** `auto`: readable lines on a terminal in the local profile, JSON everywhere else. */
  logFormat: LogFormat;
  /** Serve /metrics on this port too (and, in the production profile, only there unless a token is set). */
  metricsPort?: number;
  /** Bearer token that /metrics requires; in the production profile it also opens /metrics on the API port. */
  metricsToken?: string;
  /** Lockout after failed passwords; Cognito's documented schedule unless changed (sign-in spec §9). */
  lockout: LockoutPolicy;
  /** Issuer of tokens: `local` (`<public URL>/<poolId>`, keys fetchable from this server) or `aws` (Cognito's own form). */
  tokenIssuer: IssuerMode;
  /** How long a shutdown waits for requests in flight before it cuts the remaining connections. */
  drainSeconds: number;
  /** How old an instance's copy of a pool's signing keys may grow before it re-reads them (docs/deployment.md). */
  signingKeyCacheSeconds: number;
  /** Keys allowed to call the IAM-authorised (admin) operations; enforced in the production profile. */
  adminCredentials: { accessKeyId: string; secretAccessKey: string }[];
  sqliteSynchronous: 'FULL' | 'NORMAL';
  defaultLimits: PoolLimits;
  pools: PoolDeclaration[];
  functions: Record<string, FunctionDeclaration>;
  sms: SmsDeclaration;
  /** Serve HTTPS on the API port: with `tlsCert`/`tlsKey` those files, else a generated local certificate (README, TLS for local use). */
  tls: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** Where the generated certificate is kept; defaults to the SQLite file's directory, or ./.userpool. */
  tlsDir?: string;
  /** Serve the admin console (docs/console.md); unset: on in the local profile, off in production. */
  console?: boolean;
  /** Where the console is mounted: a path without a trailing slash. */
  consolePath: string;
  /** Bearer token that opens the console in the production profile, besides the admin access keys. */
  consoleToken?: string;
  /** Also run PostConfirmation for users a PreSignUp function auto-confirmed (spec §6.2 says no). */
  postConfirmationOnAutoConfirm?: boolean;
}

export const DEFAULT_LIMITS: PoolLimits = { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 };

export function defaultConfig(): ServerConfig {
  return {
    port: 9229,
    host: '127.0.0.1',
    db: './.userpool/userpool.db',
    region: 'us-east-1',
    accountId: '000000000000',
    profile: 'local',
    bodyLimit: 1024 * 1024,
    modelledStatusCodes: false,
    trustProxy: false,
    maxConnections: 1024,
    requestTimeoutSeconds: 30,
    controlHosts: [],
    logLevel: 'info',
    logFormat: 'auto',
    drainSeconds: 10,
    signingKeyCacheSeconds: 60,
    tokenIssuer: 'local',
    lockout: { ...DEFAULT_LOCKOUT },
    adminCredentials: [],
    sqliteSynchronous: 'FULL',
    defaultLimits: DEFAULT_LIMITS,
    pools: [],
    functions: {},
    sms: { sender: 'outbox' },
    tls: false,
    consolePath: '/_console',
  };
}

export function readConfigFile(path: string): Partial<ServerConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/iu.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid ${/\.json$/iu.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${path} must hold an object`);
  return parsed as Partial<ServerConfig>;
}

/** Values from the environment, for the settings that have a variable. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<ServerConfig> {
  const out: Partial<ServerConfig> = {};
  if (env.PORT) out.port = parsePort(env.PORT, 'PORT');
  if (env.HOST) out.host = env.HOST;
  if (env.USERPOOL_DB) out.db = env.USERPOOL_DB;
  if (env.USERPOOL_SMTP_URL) out.smtpUrl = env.USERPOOL_SMTP_URL;
  if (env.USERPOOL_REGION) out.region = env.USERPOOL_REGION;
  if (env.USERPOOL_PROFILE) out.profile = env.USERPOOL_PROFILE as ServerConfig['profile'];
  if (env.USERPOOL_SECRET_KEY) out.secretKey = env.USERPOOL_SECRET_KEY;
  if (env.USERPOOL_PUBLIC_URL) out.publicUrl = env.USERPOOL_PUBLIC_URL;
  if (env.USERPOOL_LOG_LEVEL) out.logLevel = env.USERPOOL_LOG_LEVEL;
  if (env.USERPOOL_LOG_FORMAT) out.logFormat = env.USERPOOL_LOG_FORMAT as LogFormat;
  if (env.USERPOOL_TOKEN_ISSUER) out.tokenIssuer = env.USERPOOL_TOKEN_ISSUER as IssuerMode;
  if (env.USERPOOL_TLS) out.tls = parseSwitch(env.USERPOOL_TLS, 'USERPOOL_TLS');
  if (env.USERPOOL_TLS_CERT) out.tlsCert = env.USERPOOL_TLS_CERT;
  if (env.USERPOOL_TLS_KEY) out.tlsKey = env.USERPOOL_TLS_KEY;
  if (env.USERPOOL_TLS_DIR) out.tlsDir = env.USERPOOL_TLS_DIR;
  if (env.USERPOOL_METRICS_TOKEN) out.metricsToken = env.USERPOOL_METRICS_TOKEN;
  if (env.USERPOOL_METRICS_PORT) out.metricsPort = parsePort(env.USERPOOL_METRICS_PORT, 'USERPOOL_METRICS_PORT');
  if (env.USERPOOL_CONSOLE) out.console = parseSwitch(env.USERPOOL_CONSOLE, 'USERPOOL_CONSOLE');
  if (env.USERPOOL_CONSOLE_PATH) out.consolePath = env.USERPOOL_CONSOLE_PATH;
  if (env.USERPOOL_CONSOLE_TOKEN) out.consoleToken = env.USERPOOL_CONSOLE_TOKEN;
  if (env.USERPOOL_ADMIN_ACCESS_KEY_ID && env.USERPOOL_ADMIN_SECRET_ACCESS_KEY) {
    out.adminCredentials = [{ accessKeyId: env.USERPOOL_ADMIN_ACCESS_KEY_ID, secretAccessKey: env.USERPOOL_ADMIN_SECRET_ACCESS_KEY }];
  }
  return out;
}

function parseSwitch(value: string, what: string): boolean {
  if (/^(1|true|yes|on)$/iu.test(value)) return true;
  if (/^(0|false|no|off)$/iu.test(value)) return false;
  throw new ConfigError(`${what} must be true or false, got "${value}"`);
}

export function parsePort(value: string, what: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${what} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** Checks the merged configuration; every problem is a ConfigError with a message for a person. */
export function finishConfig(config: ServerConfig): ServerConfig {
  // A config file is untyped YAML or JSON: a quoted port would otherwise reach listen() as a pipe name.
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new ConfigError(`port must be a port number (0-65535), got ${JSON.stringify(config.port)}`);
  for (const key of ['host', 'db', 'region', 'smtpUrl', 'secretKey', 'publicUrl', 'logLevel', 'tlsCert', 'tlsKey', 'tlsDir'] as const) {
    if (config[key] !== undefined && (typeof config[key] !== 'string' || config[key] === '')) throw new ConfigError(`${key} must be a non-empty string, got ${JSON.stringify(config[key])}`);
  }
  if (typeof config.tls !== 'boolean') throw new ConfigError(`tls must be true or false, got ${JSON.stringify(config.tls)}`);
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) throw new ConfigError('--tls-cert and --tls-key go together: give both files or neither');
  // Naming the files says what is wanted; requiring --tls as well would only add a way to get it wrong.
  if (config.tlsCert) config.tls = true;
  if (config.profile !== 'local' && config.profile !== 'production') throw new ConfigError(`profile must be "local" or "production", got "${config.profile}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/u.test(config.region)) throw new ConfigError(`region "${config.region}" is not an AWS Region name such as us-east-1`);
  if (!/^\d{12}$/u.test(config.accountId)) throw new ConfigError('accountId must be 12 digits');
  if (config.smtpUrl && !/^smtps?:\/\//u.test(config.smtpUrl)) throw new ConfigError(`smtp URL must start with smtp:// or smtps://, got "${config.smtpUrl}"`);
  if (config.profile === 'production' && !config.secretKey) {
    throw new ConfigError(`the production profile needs a master key: set USERPOOL_SECRET_KEY to ${KEY_ADVICE}`);
  }
  if (config.secretKey) decodeKey(config.secretKey);
  config.trustProxy = parseTrustProxy(config.trustProxy);
  checkWhole(config.maxConnections, 'maxConnections', 1);
  checkWhole(config.requestTimeoutSeconds, 'requestTimeoutSeconds', 1);
  checkWhole(config.drainSeconds, 'drainSeconds', 0);
  checkWhole(config.signingKeyCacheSeconds, 'signingKeyCacheSeconds', 1);
  // A file may set one knob; the others keep Cognito's values.
  config.lockout = { ...DEFAULT_LOCKOUT, ...config.lockout };
  for (const [name, value] of Object.entries(config.lockout)) {
    if (!(name in DEFAULT_LOCKOUT)) throw new ConfigError(`lockout.${name} is not a lockout setting; use ${Object.keys(DEFAULT_LOCKOUT).join(', ')}`);
    checkWhole(value, `lockout.${name}`, name === 'threshold' || name === 'baseSeconds' ? 1 : 0);
  }
  if (config.tokenIssuer !== 'local' && config.tokenIssuer !== 'aws') throw new ConfigError(`tokenIssuer must be "local" or "aws", got ${JSON.stringify(config.tokenIssuer)}`);
  if (config.metricsPort !== undefined && (!Number.isInteger(config.metricsPort) || config.metricsPort < 0 || config.metricsPort > 65535)) throw new ConfigError(`metricsPort must be a port number (0-65535), got ${JSON.stringify(config.metricsPort)}`);
  // A short token is guessable; the figures it guards are worth a real one.
  if (config.metricsToken !== undefined && (typeof config.metricsToken !== 'string' || config.metricsToken.length < 16)) throw new ConfigError('the metrics token (USERPOOL_METRICS_TOKEN) must be at least 16 characters');
  if (!['auto', 'json', 'pretty'].includes(config.logFormat)) throw new ConfigError(`logFormat must be "auto", "json" or "pretty", got ${JSON.stringify(config.logFormat)}`);
  checkConsole(config);
  if (config.perAddressRps !== undefined) checkWhole(config.perAddressRps, 'perAddressRps', 0);
  if (!Array.isArray(config.controlHosts) || config.controlHosts.some((h) => typeof h !== 'string' || h === '')) {
    throw new ConfigError(`controlHosts must be a list of host names, got ${JSON.stringify(config.controlHosts)}`);
  }
  if (!Array.isArray(config.pools)) throw new ConfigError('pools must be a list');
  // Entries without an id are found again by name at the next start, so a name must say which one.
  const unnamedPools = new Set<string>();
  for (const [i, pool] of config.pools.entries()) {
    if (!pool || typeof pool.name !== 'string') throw new ConfigError(`pools[${i}] needs a name`);
    if (!pool.id && unnamedPools.has(pool.name)) throw new ConfigError(`pools[${i}]: another pool without an id is named "${pool.name}"; give one of them an id`);
    if (!pool.id) unnamedPools.add(pool.name);
    // Request rules are keyed by pool id; rules on a pool whose id is drawn at random would never apply.
    if (pool.requestRules && !pool.id) throw new ConfigError(`pools[${i}] has requestRules but no id; give the pool a fixed id`);
    checkLimits(pool.limits, `pools[${i}].limits`);
    const unnamedClients = new Set<string>();
    for (const [j, client] of (pool.clients ?? []).entries()) {
      if (!client || typeof client.name !== 'string') throw new ConfigError(`pools[${i}].clients[${j}] needs a name`);
      if (!client.id && unnamedClients.has(client.name)) {
        throw new ConfigError(`pools[${i}].clients[${j}]: another client without an id is named "${client.name}"; give one of them an id`);
      }
      if (!client.id) unnamedClients.add(client.name);
    }
  }
  checkLimits(config.defaultLimits, 'defaultLimits');
  // A file may set one of the limits; the other keeps Cognito's number rather than becoming no limit.
  config.defaultLimits = { ...DEFAULT_LIMITS, ...config.defaultLimits };
  if (config.profile === 'production' && !config.quotas) config.quotas = { ...DEFAULT_QUOTAS };
  // One address must not be able to spend a whole category's quota and so lock everyone out of sign-up.
  if (config.profile === 'production' && config.perAddressRps === undefined) config.perAddressRps = DEFAULT_PER_ADDRESS_RPS;
  return config;
}

/** Paths the server already serves; a console mounted over one would hide it. */
const TAKEN_PATHS = ['/_userpool', '/_domains', '/health', '/metrics', '/confirmUser', '/oauth2', '/.well-known'];

function checkConsole(config: ServerConfig): void {
  config.console ??= config.profile === 'local';
  if (typeof config.console !== 'boolean') throw new ConfigError(`console must be true or false, got ${JSON.stringify(config.console)}`);
  const path = config.consolePath;
  if (typeof path !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/u.test(path) || path.split('/').some((part) => part === '.' || part === '..')) {
    throw new ConfigError(`consolePath must be a path such as /_console (letters, digits, . _ ~ -; no trailing slash), got ${JSON.stringify(path)}`);
  }
  if (TAKEN_PATHS.some((taken) => path === taken || path.startsWith(`${taken}/`))) throw new ConfigError(`consolePath ${path} is a path the server already serves`);
  // As for the metrics token: a short one is guessable, and this one can delete every user.
  if (config.consoleToken !== undefined && (typeof config.consoleToken !== 'string' || config.consoleToken.length < 16)) {
    throw new ConfigError('the console token (USERPOOL_CONSOLE_TOKEN) must be at least 16 characters');
  }
  if (config.profile === 'production' && config.console && config.adminCredentials.length === 0 && config.consoleToken === undefined) {
    throw new ConfigError('the console is enabled in the production profile, but nobody could sign in to it: set USERPOOL_ADMIN_ACCESS_KEY_ID and USERPOOL_ADMIN_SECRET_ACCESS_KEY, or USERPOOL_CONSOLE_TOKEN');
  }
}

function checkLimits(limits: Partial<PoolLimits> | undefined, where: string): void {
  for (const [name, value] of Object.entries(limits ?? {})) {
    if (!(name in DEFAULT_LIMITS)) throw new ConfigError(`${where}.${name} is not a limit; use ${Object.keys(DEFAULT_LIMITS).join(' or ')}`);
    if (!Number.isInteger(value) || (value as number) < 1) throw new ConfigError(`${where}.${name} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  }
}

const KEY_ADVICE = '32 random bytes written as hex (64 characters) or base64 (44 characters), e.g. the output of `openssl rand -hex 32`';

/** Requests per second per caller address on the public operations in the production profile. */
export const DEFAULT_PER_ADDRESS_RPS = 10;

/**
 * The master key keys every code digest and seals every secret, so a guessable one undoes all of
 * that: only key material is accepted, never a passphrase that happens to decode as base64.
 */
export function decodeKey(text: string): Buffer {
  const bad = (why: string) => new ConfigError(`USERPOOL_SECRET_KEY ${why}; it must be ${KEY_ADVICE}`);
  let key: Buffer;
  if (/^[0-9a-fA-F]+$/u.test(text) && text.length % 2 === 0) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/]+={0,2}$/u.test(text) && text.length % 4 === 0) {
    key = Buffer.from(text, 'base64');
    // Random base64 mixes letter cases and digits; words, even long ones, do not.
    const classes = [/[a-z]/u, /[A-Z]/u, /[0-9+/]/u].filter((re) => re.test(text)).length;
    if (classes < 3) throw bad('looks like a passphrase, not random bytes');
  } else throw bad('is neither hex nor base64');
  if (key.length < 32) throw bad(`is ${key.length} bytes long`);
  // 32 random bytes repeat few values; a pattern such as 00…00 or abab…ab repeats most of them.
  if (new Set(key).size < 16) throw bad('repeats too few distinct bytes to be random');
  return key;
}

function checkWhole(value: unknown, name: string, min: number): void {
  if (!Number.isInteger(value) || (value as number) < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
}
