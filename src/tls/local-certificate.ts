/**
 * @module The generated certificate kept in the data directory: made on first start, reused on
 * later ones, and made again when it nears its end or no longer covers the server's names.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CA_LIFETIME_MS, LEAF_LIFETIME_MS, authorityCovers, issueAuthority, issueServerCertificate, type Issued } from './certificate.ts';
import type { CertificateNames } from './names.ts';

export const FILES = { caCert: 'tls-ca.pem', caKey: 'tls-ca-key.pem', cert: 'tls-cert.pem', key: 'tls-key.pem' } as const;

const DAY = 24 * 60 * 60 * 1000;
/** A certificate with less than this left is replaced at start, so a server left running for weeks keeps a valid one. */
export const RENEW_BEFORE_MS = 30 * DAY;

export interface LocalCertificate {
  key: string;
  cert: string;
  caPath: string;
  certPath: string;
  /** What this start had to make: a new authority must be trusted again, a new server certificate need not be. */
  made: { authority: boolean; server: boolean };
}

export function ensureLocalCertificate(dir: string, names: CertificateNames, now = Date.now()): LocalCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  if (uid !== undefined && statSync(dir).uid !== uid) throw new Error(`${dir} belongs to another user; choose another --tls-dir`);
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);
  let authority = readPair(path('caCert'), path('caKey'));
  const madeAuthority = !authority || !authorityFits(authority, names, now);
  if (madeAuthority) {
    authority = issueAuthority(names, now);
    // The key first: a certificate on disk whose key is missing would be replaced at the next start anyway.
    writeOwnerOnly(path('caKey'), authority.key);
    writeOwnerOnly(path('caCert'), authority.cert);
  }
  let server = madeAuthority ? undefined : readPair(path('cert'), path('key'));
  const madeServer = !server || !serverFits(server, authority!, names, now);
  if (madeServer) {
    server = issueServerCertificate(authority!, names, now);
    writeOwnerOnly(path('key'), server.key);
    writeOwnerOnly(path('cert'), server.cert);
  }
  return { key: server!.key, cert: server!.cert, caPath: path('caCert'), certPath: path('cert'), made: { authority: madeAuthority, server: madeServer } };
}

/** A pair that is missing, unreadable or damaged is simply made again; a key another user could read is refused. */
function readPair(certPath: string, keyPath: string): Issued | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  for (const file of [certPath, keyPath]) guardOwnership(file);
  try {
    const pair = { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
    if (!new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key))) return undefined;
    return pair;
  } catch {
    return undefined;
  }
}

function authorityFits(authority: Issued, names: CertificateNames, now: number): boolean {
  const ca = new X509Certificate(authority.cert);
  // It must outlive any server certificate it signs from now on.
  return ca.ca && within(ca, now, LEAF_LIFETIME_MS + RENEW_BEFORE_MS) && Date.parse(ca.validTo) - Date.parse(ca.validFrom) <= CA_LIFETIME_MS + DAY && authorityCovers(authority.cert, names);
}

function serverFits(server: Issued, authority: Issued, names: CertificateNames, now: number): boolean {
  const leaf = new X509Certificate(server.cert);
  const ca = new X509Certificate(authority.cert);
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey) || !within(leaf, now, RENEW_BEFORE_MS)) return false;
  const sans = new Set((leaf.subjectAltName ?? '').split(', '));
  return names.dns.every((n) => sans.has(`DNS:${n}`)) && names.ips.every((ip) => leaf.checkIP(ip) !== undefined);
}

function within(cert: X509Certificate, now: number, margin: number): boolean {
  return Date.parse(cert.validFrom) <= now && Date.parse(cert.validTo) - now > margin;
}

/**
 * In a shared directory such as /tmp another user could plant a key of their own and so learn the
 * key of an authority the developer trusts; files that are not ours are refused, ours are narrowed.
 */
function guardOwnership(file: string): void {
  const stat = statSync(file);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new Error(`${file} belongs to another user; remove it or choose another --tls-dir`);
  if ((stat.mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/** Written beside and renamed into place, so a crash never leaves half a key and the new file is 0600 from its first byte. */
function writeOwnerOnly(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}
