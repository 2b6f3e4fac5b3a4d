/** @module The host names and addresses a local certificate must cover. */
import { isIP } from 'node:net';

export interface CertificateNames {
  dns: string[];
  ips: string[];
}

/**
 * Loopback names every local setup reaches the server by, plus `*.auth.localhost` for hosted-UI
 * domains resolved by Host header (spec §1.2), which resolve to loopback without DNS.
 */
const LOOPBACK: CertificateNames = { dns: ['localhost', '*.auth.localhost'], ips: ['127.0.0.1', '::1'] };

/** Addresses a server binds to that name no host a client could connect by. */
const UNSPECIFIED = new Set(['0.0.0.0', '::']);

export function certificateNames(input: { host?: string; publicUrl?: string; controlHosts?: readonly string[] }): CertificateNames {
  const dns = new Set(LOOPBACK.dns);
  const ips = new Set(LOOPBACK.ips);
  const extra = [...(input.controlHosts ?? [])];
  if (input.host) extra.push(input.host);
  if (input.publicUrl) extra.push(new URL(input.publicUrl).hostname);
  for (const raw of extra) {
    const name = raw.toLowerCase().replace(/^\[(.*)\]$/u, '$1');
    if (name === '' || UNSPECIFIED.has(name)) continue;
    if (isIP(name)) ips.add(name);
    else dns.add(name);
  }
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}
