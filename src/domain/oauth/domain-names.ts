/**
 * @module Domain names of a user pool (OML §1.1, §13): what a prefix or a custom domain may be, and
 * the host names a request may reach a prefix domain by (OML §1.2).
 */

/** The model's DomainType pattern: one DNS label, lower case. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;
/** Console rule, kept for prefixes (I): a prefix must not pass for an AWS name. */
const RESERVED = ['aws', 'amazon', 'cognito'];

export type NameProblem = 'pattern' | 'reserved';

/** Undefined when `prefix` is a usable prefix domain. */
export function prefixProblem(prefix: string): NameProblem | undefined {
  if (!LABEL.test(prefix)) return 'pattern';
  if (RESERVED.some((word) => prefix.includes(word))) return 'reserved';
  return undefined;
}

/** A custom domain: lower-case labels of the DomainType pattern joined by dots, at least two, ≤ 253 characters (OML §1.1, I). */
export function isCustomDomainName(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((label) => LABEL.test(label));
}

/** The prefix domain's public host name, as DescribeUserPool's clients and Amplify spell it. */
export function prefixHost(prefix: string, region: string): string {
  return `${prefix}.auth.${region}.amazoncognito.com`;
}

const PREFIX_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth\.(?:[a-z0-9-]+\.amazoncognito\.com|localhost)$/u;

/**
 * What a Host header names, port dropped and case folded: a prefix (`<prefix>.auth.<region>.amazoncognito.com`,
 * `<prefix>.auth.localhost`) or else a name that may be a custom domain. Undefined for no usable host.
 */
export function hostTarget(host: string | undefined): { kind: 'prefix' | 'custom'; name: string } | undefined {
  if (!host) return undefined;
  const name = host.trim().toLowerCase().replace(/:\d*$/u, '').replace(/\.$/u, '');
  if (name === '' || name.startsWith('[')) return undefined;
  const prefix = PREFIX_HOST.exec(name);
  if (prefix) return { kind: 'prefix', name: prefix[1]! };
  return isCustomDomainName(name) ? { kind: 'custom', name } : undefined;
}
