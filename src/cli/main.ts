/** @module The `userpool` command: `serve` (the default) and `migrate`; bad flags or config exit with code 2. */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, configFromEnv, defaultConfig, finishConfig, parsePort, readConfigFile, type ServerConfig } from '../config/config.ts';
import { startServer } from '../server.ts';
import { openStore } from '../store/open-store.ts';

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
  trustProxy?: boolean;
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
  if (flags.trustProxy) fromFlags.trustProxy = true;
  return finishConfig({ ...defaultConfig(), ...(file ? readConfigFile(file) : {}), ...configFromEnv(env), ...fromFlags });
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
    .option('--public-url <url>', 'base URL for confirmation links (USERPOOL_PUBLIC_URL)')
    .option('--log-level <level>', 'pino log level (USERPOOL_LOG_LEVEL)')
    .option('--modelled-status-codes', "use the API model's HTTP status codes instead of the observed ones")
    .option('--trust-proxy', 'take the caller address from X-Forwarded-For')
    .action(async (flags: ServeFlags) => {
      const config = resolveConfig(flags, process.env);
      const server = await startServer(config);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
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

export async function main(argv: string[]): Promise<void> {
  const program = new Command('userpool')
    .description('A Cognito-compatible user-pool server')
    .exitOverride()
    .addCommand(serveCommand(), { isDefault: true })
    .addCommand(migrateCommand());
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
