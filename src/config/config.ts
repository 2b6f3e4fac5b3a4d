/** @module Server configuration: defaults, then the config file, then environment, then flags; checked once at start. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { PoolLimits } from '../domain/records.ts';
import type { PoolRules } from '../limits/request-gate.ts';

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
}

export interface SmsDeclaration {
  sender: 'outbox' | 'webhook' | 'sns';
  url?: string;
  endpoint?: string;
  region?: string;
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
  trustProxy: boolean;
  /** Requests per second per quota category; absent in the local profile unless configured. */
  quotas?: Record<string, number>;
  perAddressRps?: number;
  logLevel: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  defaultLimits: PoolLimits;
  pools: PoolDeclaration[];
  functions: Record<string, FunctionDeclaration>;
  sms: SmsDeclaration;
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
    logLevel: 'info',
    sqliteSynchronous: 'FULL',
    defaultLimits: DEFAULT_LIMITS,
    pools: [],
    functions: {},
    sms: { sender: 'outbox' },
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
  return out;
}

export function parsePort(value: string, what: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${what} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** Checks the merged configuration; every problem is a ConfigError with a message for a person. */
export function finishConfig(config: ServerConfig): ServerConfig {
  if (config.profile !== 'local' && config.profile !== 'production') throw new ConfigError(`profile must be "local" or "production", got "${config.profile}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/u.test(config.region)) throw new ConfigError(`region "${config.region}" is not an AWS Region name such as us-east-1`);
  if (!/^\d{12}$/u.test(config.accountId)) throw new ConfigError('accountId must be 12 digits');
  if (config.smtpUrl && !/^smtps?:\/\//u.test(config.smtpUrl)) throw new ConfigError(`smtp URL must start with smtp:// or smtps://, got "${config.smtpUrl}"`);
  if (config.profile === 'production' && !config.secretKey) {
    throw new ConfigError('the production profile needs a master key: set USERPOOL_SECRET_KEY (32+ random bytes, hex or base64)');
  }
  if (config.secretKey && decodeKey(config.secretKey).length < 32) throw new ConfigError('the master key must be at least 32 bytes (hex or base64)');
  if (!Array.isArray(config.pools)) throw new ConfigError('pools must be a list');
  for (const [i, pool] of config.pools.entries()) {
    if (!pool || typeof pool.name !== 'string') throw new ConfigError(`pools[${i}] needs a name`);
    for (const [j, client] of (pool.clients ?? []).entries()) {
      if (!client || typeof client.name !== 'string') throw new ConfigError(`pools[${i}].clients[${j}] needs a name`);
    }
  }
  if (config.profile === 'production' && !config.quotas) config.quotas = { UserCreation: 50, UserRead: 120, UserUpdate: 25 };
  return config;
}

export function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]+$/u.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
