/** @module The `userpool` command: `serve` (the default), `migrate` and `rotate-signing-keys`; bad flags or config exit with code 2. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, configFromEnv, defaultConfig, finishConfig, parsePort, readConfigFile, type ServerConfig } from '../config/config.ts';
import { parseTrustProxy } from '../protocol/client-address.ts';
import { startServer } from '../server.ts';
import { openStore } from '../store/open-store.ts';
import { rotateSigningKeysCommand } from './rotate-signing-keys.ts';

interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  smtpUrl?: string;
  region?: string;
  config?: string;
  profile?: string;
  publicUrl?: string;
  logLevel?: string;
  modelledStatusCodes?: boolean;
  trustProxy?: boolean | string;
  maxConnections?: string;
  requestTimeout?: string;
  controlHosts?: string;
  logFormat?: string;
  drainTimeout?: string;
  metricsPort?: string;
  tokenIssuer?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsDir?: string;
  console?: boolean;
  consolePath?: string;
}

/** Precedence: defaults < config file < environment < flags. */
export function resolveConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServerConfig {
  const file = flags.config ?? env.USERPOOL_CONFIG;
  const fromFlags: Partial<ServerConfig> = {};
  if (flags.port !== undefined) fromFlags.port = parsePort(flags.port, '--port');
  if (flags.host !== undefined) fromFlags.host = flags.host;
  if (flags.db !== undefined) fromFlags.db = flags.db;
  if (flags.smtpUrl !== undefined) fromFlags.smtpUrl = flags.smtpUrl;
  if (flags.region !== undefined) fromFlags.region = flags.region;
  if (flags.profile !== undefined) fromFlags.profile = flags.profile as ServerConfig['profile'];
  if (flags.publicUrl !== undefined) fromFlags.publicUrl = flags.publicUrl;
  if (flags.logLevel !== undefined) fromFlags.logLevel = flags.logLevel;
  if (flags.modelledStatusCodes) fromFlags.modelledStatusCodes = true;
  if (flags.trustProxy !== undefined) fromFlags.trustProxy = parseTrustProxy(flags.trustProxy, '--trust-proxy');
  if (flags.maxConnections !== undefined) fromFlags.maxConnections = wholeFlag(flags.maxConnections, '--max-connections');
  if (flags.requestTimeout !== undefined) fromFlags.requestTimeoutSeconds = wholeFlag(flags.requestTimeout, '--request-timeout');
  if (flags.logFormat !== undefined) fromFlags.logFormat = flags.logFormat as ServerConfig['logFormat'];
  if (flags.tokenIssuer !== undefined) fromFlags.tokenIssuer = flags.tokenIssuer as ServerConfig['tokenIssuer'];
  if (flags.metricsPort !== undefined) fromFlags.metricsPort = parsePort(flags.metricsPort, '--metrics-port');
  if (flags.drainTimeout !== undefined) fromFlags.drainSeconds = wholeFlag(flags.drainTimeout, '--drain-timeout');
  if (flags.tls) fromFlags.tls = true;
  if (flags.tlsCert !== undefined) fromFlags.tlsCert = flags.tlsCert;
  if (flags.tlsKey !== undefined) fromFlags.tlsKey = flags.tlsKey;
  if (flags.tlsDir !== undefined) fromFlags.tlsDir = flags.tlsDir;
  if (flags.console !== undefined) fromFlags.console = flags.console;
  if (flags.consolePath !== undefined) fromFlags.consolePath = flags.consolePath;
  if (flags.controlHosts !== undefined) fromFlags.controlHosts = flags.controlHosts.split(',').map((h) => h.trim()).filter(Boolean);
  return finishConfig({ ...defaultConfig(), ...(file ? readConfigFile(file) : {}), ...configFromEnv(env), ...fromFlags });
}

function wholeFlag(value: string, name: string): number {
  if (!/^[0-9]+$/u.test(value)) throw new ConfigError(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function serveCommand(): Command {
  return new Command('serve')
    .description('run the server (default)')
    .option('--port <port>', 'port to listen on (PORT)', undefined)
    .option('--host <host>', 'address to bind (HOST)')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (USERPOOL_DB)')
    .option('--smtp-url <url>', 'send email through this SMTP server, e.g. smtp://127.0.0.1:1025 (USERPOOL_SMTP_URL)')
    .option('--region <region>', 'AWS Region in pool ids and ARNs (USERPOOL_REGION)')
    .option('--config <file>', 'JSON or YAML config file (USERPOOL_CONFIG)')
    .addOption(new Option('--profile <profile>', 'local (control API on) or production (USERPOOL_PROFILE)').choices(['local', 'production']))
    .option('--public-url <url>', 'base URL clients reach the server at: confirmation links and the tokens\' issuer; give every instance of a cluster the same one (USERPOOL_PUBLIC_URL)')
    .option('--log-level <level>', 'pino log level (USERPOOL_LOG_LEVEL)')
    .addOption(new Option('--log-format <format>', 'auto (readable on a terminal in the local profile), json or pretty (USERPOOL_LOG_FORMAT)').choices(['auto', 'json', 'pretty']))
    .addOption(new Option('--token-issuer <form>', 'iss of issued tokens: local (<public URL>/<poolId>) or aws (https://cognito-idp.<region>.amazonaws.com/<poolId>) (USERPOOL_TOKEN_ISSUER)').choices(['local', 'aws']))
    .option('--metrics-port <port>', 'also serve /metrics on this port; in production the only place it is served unless USERPOOL_METRICS_TOKEN is set (USERPOOL_METRICS_PORT)')
    .option('--drain-timeout <seconds>', 'on SIGTERM or SIGINT, wait this long for requests in flight before cutting connections (default 10)')
    .option('--tls', 'serve HTTPS with a certificate generated and kept in the data directory (USERPOOL_TLS)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM, with its chain) instead (USERPOOL_TLS_CERT)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM) (USERPOOL_TLS_KEY)')
    .option('--tls-dir <dir>', 'keep the generated certificate here; default: the SQLite file\'s directory, or ./.userpool (USERPOOL_TLS_DIR)')
    .option('--console', 'serve the admin console (on by default in the local profile; in production behind the admin keys or USERPOOL_CONSOLE_TOKEN) (USERPOOL_CONSOLE)')
    .option('--no-console', 'do not serve the admin console')
    .option('--console-path <path>', 'where the admin console is served (default /_console) (USERPOOL_CONSOLE_PATH)')
    .option('--modelled-status-codes', "use the API model's HTTP status codes instead of the observed ones")
    .option('--trust-proxy [hops-or-cidrs]', 'believe X-Forwarded-For from this many proxy hops (default 1) or from proxies in these CIDR blocks')
    .option('--max-connections <n>', 'refuse connections beyond this many open ones (default 1024)')
    .option('--request-timeout <seconds>', 'answer 408 when headers and body take longer (default 30)')
    .option('--control-hosts <names>', 'host names besides loopback ones allowed to reach the control API, comma-separated')
    .action(async (flags: ServeFlags) => {
      const config = resolveConfig(flags, process.env);
      const server = await startServer(config);
      let stopping = false;
      const stop = () => {
        // A second signal means the operator will not wait for the drain.
        if (stopping) process.exit(1);
        stopping = true;
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}

function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply database migrations and exit')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (USERPOOL_DB)')
    .action(async (flags: { db?: string }) => {
      const config = finishConfig({ ...defaultConfig(), ...configFromEnv(process.env), ...(flags.db ? { db: flags.db } : {}) });
      const store = await openStore(config);
      await store.close();
      console.log('migrations applied');
    });
}

/**
 * The nearest package.json named `userpool` above this file: the bundler puts this module at a
 * different depth in dist/ than in src/, so no fixed relative path fits both. Read at run time
 * because JSON imports still warn as experimental on Node 20.
 */
function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'userpool' && manifest.version) return manifest.version;
    } catch {
      // No readable package.json at this level; look one further up.
    }
    if (dir.pathname === '/') return 'unknown';
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('userpool')
    .description('A Cognito-compatible user-pool server')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .addCommand(serveCommand(), { isDefault: true })
    .addCommand(migrateCommand())
    .addCommand(rotateSigningKeysCommand());
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exit(error.exitCode === 0 ? 0 : 2);
    }
    if (error instanceof ConfigError) {
      console.error(`userpool: ${error.message}`);
      process.exit(2);
    }
    console.error(`userpool: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv);
}
