/**
 * @module `userpool rotate-signing-keys --db … --pool …`: retires a pool's ID and access signing
 * keys and makes new ones, from outside any running server, and prints the new kids as JSON.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { ConfigError, configFromEnv, decodeKey, defaultConfig, finishConfig, readConfigFile, type ServerConfig } from '../config/config.ts';
import { SealedKeysUnreadable, TokenService, type RotatedKids } from '../operations/shared/sign-in/token-service.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { SecretBox } from '../util/secret-box.ts';

interface RotateFlags {
  db?: string;
  pool: string;
  config?: string;
}

/**
 * The master key the servers on this database use: USERPOOL_SECRET_KEY (or the config file's
 * `secretKey`), else the generated key a local-profile server keeps in the database (as
 * server.ts reads it). Sealing new keys under any other key would leave the servers unable to
 * use them, so a database without a kept key and no key given is refused.
 */
async function masterKeyOf(config: ServerConfig, store: Store): Promise<Buffer> {
  if (config.secretKey) return decodeKey(config.secretKey);
  const candidate = randomBytes(32).toString('base64');
  const kept = await store.metaGetOrSet('local-master-key', candidate);
  // Our own candidate back means no server ever generated one here: they run with USERPOOL_SECRET_KEY.
  if (kept === candidate) throw new ConfigError('this database has no generated master key; set USERPOOL_SECRET_KEY to the key its servers run with');
  return Buffer.from(kept, 'base64');
}

export async function rotateSigningKeys(config: ServerConfig, poolId: string, now: number): Promise<RotatedKids> {
  const store = await openStore(config);
  try {
    if (!(await store.getUserPool(poolId))) throw new ConfigError(`User pool ${poolId} does not exist.`);
    // Without current keys there is nothing to prove the master key against (rotateKeys' check), and
    // nothing to rotate: the first pair is made by the servers themselves.
    if ((await store.getSigningKeys(poolId)).length === 0) {
      throw new ConfigError(`User pool ${poolId} has no signing keys yet; they are made at its first sign-in or JWKS request`);
    }
    const box = new SecretBox(await masterKeyOf(config, store));
    // Issuer settings are unused here: rotation signs nothing.
    const tokens = new TokenService({ store, box, issuerMode: config.tokenIssuer, publicUrl: config.publicUrl ?? '' });
    const kids = await tokens.rotateKeys(poolId, now);
    if (!kids) throw new ConfigError(`User pool ${poolId} does not exist.`);
    return kids;
  } catch (error) {
    if (error instanceof SealedKeysUnreadable) throw new ConfigError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

export function rotateSigningKeysCommand(): Command {
  return new Command('rotate-signing-keys')
    .description("retire a pool's token signing keys and make new ones; prints the new kids as JSON")
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (USERPOOL_DB)')
    .requiredOption('--pool <poolId>', 'the user pool whose keys to rotate')
    .option('--config <file>', 'JSON or YAML config file, for its db and secretKey (USERPOOL_CONFIG)')
    .action(async (flags: RotateFlags) => {
      const file = flags.config ?? process.env.USERPOOL_CONFIG;
      const config = finishConfig({ ...defaultConfig(), ...(file ? readConfigFile(file) : {}), ...configFromEnv(process.env), ...(flags.db ? { db: flags.db } : {}) });
      // The wall clock: a server's control-API clock offset lives in that server's process only.
      const kids = await rotateSigningKeys(config, flags.pool, Date.now());
      console.log(JSON.stringify({ kids }));
    });
}
