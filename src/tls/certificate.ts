/**
 * @module X.509 for local TLS: a small certificate authority limited by name constraints to the
 * names the server answers on, and a server certificate it signs. Keys come from node:crypto;
 * node-forge only lays out and signs the certificates.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import forge from 'node-forge';
import type { CertificateNames } from './names.ts';

export interface Issued {
  /** PEM of the certificate. */
  cert: string;
  /** PKCS#8 PEM of its private key. */
  key: string;
}

const DAY = 24 * 60 * 60 * 1000;
/** Ten years: the authority is what people import into trust stores, so it should rarely change. */
export const CA_LIFETIME_MS = 3650 * DAY;
/** Apple's platforms refuse server certificates valid longer than 825 days from any authority and 398 from public ones; 397 passes both. */
export const LEAF_LIFETIME_MS = 397 * DAY;
/** Clocks of clients a little behind the server's must not see a certificate that is not yet valid. */
const BACKDATE_MS = 60 * 60 * 1000;

const { asn1, pki } = forge;
const NAME_CONSTRAINTS = '2.5.29.30';

/**
 * A local CA rather than one self-signed server certificate: browsers import an authority once,
 * and renewing the server certificate or adding a host name then needs no new trust decision. The
 * name constraints keep the authority's key, which sits on disk, from vouching for any other site.
 */
export function issueAuthority(names: CertificateNames, now = Date.now()): Issued {
  const { key, forgeKey, publicKey } = newKey();
  const cert = pki.createCertificate();
  cert.publicKey = publicKey;
  setValidity(cert, now, CA_LIFETIME_MS);
  const subject = [{ name: 'commonName', value: `userpool local CA ${cert.serialNumber.slice(0, 8)}` }, { name: 'organizationName', value: 'userpool (local use only)' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { id: NAME_CONSTRAINTS, critical: true, value: nameConstraints(names) },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { cert: pki.certificateToPem(cert), key };
}

/** A server certificate for `names`, signed by `authority`. */
export function issueServerCertificate(authority: Issued, names: CertificateNames, now = Date.now()): Issued {
  const caCert = pki.certificateFromPem(authority.cert);
  const caKey = pki.privateKeyFromPem(pkcs1(authority.key));
  const { key, publicKey } = newKey();
  const cert = pki.createCertificate();
  cert.publicKey = publicKey;
  setValidity(cert, now, LEAF_LIFETIME_MS);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2, value })), ...names.ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: pki.certificateToPem(cert), key };
}

/** Whether the authority's name constraints admit every one of `names`. */
export function authorityCovers(caPem: string, names: CertificateNames): boolean {
  const extension = pki.certificateFromPem(caPem).getExtension({ id: NAME_CONSTRAINTS } as unknown as string) as unknown as { permittedSubtrees?: { type: number; value: string }[] } | null;
  const permitted = extension?.permittedSubtrees ?? [];
  const dns = permitted.filter((t) => t.type === 2).map((t) => t.value);
  const ips = new Set(permitted.filter((t) => t.type === 7).map((t) => forge.util.bytesToHex(t.value)));
  return (
    names.dns.every((name) => dns.some((base) => dnsBase(name) === base || dnsBase(name).endsWith(`.${base}`))) &&
    names.ips.every((ip) => ips.has(forge.util.bytesToHex(ipWithMask(ip))))
  );
}

function newKey(): { key: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // node-forge signs only with RSA; 2048 bits is what browsers and Node expect at minimum.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    key,
    forgeKey: pki.privateKeyFromPem(pkcs1(key)),
    publicKey: pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string) as forge.pki.rsa.PublicKey,
  };
}

function pkcs1(pkcs8: string): string {
  return createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }) as string;
}

function setValidity(cert: forge.pki.Certificate, now: number, lifetime: number): void {
  // A positive 16-byte serial: unpredictable, as CAs' rules ask, and never read as negative.
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + lifetime);
}

/** RFC 5280 §4.2.1.10: a dNSName base admits itself and every name below it. */
function dnsBase(name: string): string {
  return name.replace(/^\*\./u, '');
}

function ipWithMask(ip: string): string {
  const bytes = forge.util.hexToBytes(Buffer.from(ipBytes(ip)).toString('hex'));
  return bytes + '\xff'.repeat(bytes.length);
}

function ipBytes(ip: string): number[] {
  if (isIPv4(ip)) return ip.split('.').map(Number);
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const groups = [...parts(head), ...Array(8 - parts(head).length - parts(tail).length).fill('0'), ...parts(tail)];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function nameConstraints(names: CertificateNames): forge.asn1.Asn1 {
  const subtree = (type: number, value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, type, false, value)]);
  const bases = [...new Set(names.dns.map(dnsBase))].map((name) => subtree(2, name));
  const ips = names.ips.map((ip) => subtree(7, ipWithMask(ip)));
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [...bases, ...ips])]);
}
