/** @module What `--tls` hands the HTTPS server: the operator's files, or the generated local certificate. */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { ServerConfig } from '../config/config.ts';
import { ensureLocalCertificate } from './local-certificate.ts';
import { certificateNames } from './names.ts';

export interface ServerTls {
  key: string;
  cert: string;
  /** The authority to trust, when the certificate is the generated one. */
  caPath?: string;
  certPath: string;
  madeAuthority: boolean;
}

/** The SQLite file's directory, or for PostgreSQL (and `:memory:`) the default data directory. */
export const DEFAULT_DATA_DIR = './.userpool';

export function tlsDirectory(config: Pick<ServerConfig, 'db' | 'tlsDir'>): string {
  if (config.tlsDir) return config.tlsDir;
  if (/^postgres(ql)?:\/\//u.test(config.db) || config.db === ':memory:') return DEFAULT_DATA_DIR;
  return dirname(config.db);
}

export function serverTls(config: ServerConfig): ServerTls | undefined {
  if (!config.tls) return undefined;
  if (config.tlsCert && config.tlsKey) {
    const given = { key: readFileSync(config.tlsKey, 'utf8'), cert: readFileSync(config.tlsCert, 'utf8') };
    // Fails here, with the file names, rather than at the first handshake.
    try {
      createSecureContext(given);
    } catch (error) {
      throw new Error(`--tls-cert ${config.tlsCert} and --tls-key ${config.tlsKey} do not make a usable certificate: ${(error as Error).message}`);
    }
    return { ...given, certPath: config.tlsCert, madeAuthority: false };
  }
  const names = certificateNames({ host: config.host, publicUrl: config.publicUrl, controlHosts: config.controlHosts });
  const local = ensureLocalCertificate(tlsDirectory(config), names);
  return { key: local.key, cert: local.cert, caPath: local.caPath, certPath: local.certPath, madeAuthority: local.made.authority };
}
