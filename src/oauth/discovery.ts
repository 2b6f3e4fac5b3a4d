/**
 * @module The OpenID discovery document of a pool (OML §11.1), with its domain's endpoints once it
 * has one. Only endpoints this server serves are listed on the domain; the others keep the
 * issuer-relative form AWS lists for a pool without a domain.
 */
import type { DomainRecord } from '../domain/oauth/records.ts';
import { openIdConfiguration, type OpenIdConfiguration } from '../domain/tokens/issuer.ts';

/** The domain endpoints built so far: each one added here starts being advertised. */
export const SERVED_ENDPOINTS = {
  authorization_endpoint: '/oauth2/authorize',
  end_session_endpoint: '/logout',
  revocation_endpoint: '/oauth2/revoke',
  token_endpoint: '/oauth2/token',
  userinfo_endpoint: '/oauth2/userInfo',
} as const;

/**
 * A domain's base URL reachable without DNS: the path-prefix form on this server (`/_domains/<name>`),
 * so that a client following the document reaches it from anywhere the server's public URL works.
 */
export function domainBaseUrl(publicUrl: string, domain: DomainRecord): string {
  return `${publicUrl.replace(/\/+$/u, '')}/_domains/${domain.domain}`;
}

export function poolDiscovery(input: { issuer: string; jwksUri: string; domainUrl?: string }): OpenIdConfiguration {
  const doc = openIdConfiguration({ issuer: input.issuer, jwksUri: input.jwksUri });
  if (input.domainUrl === undefined) return doc;
  const withDomain: Record<string, unknown> = { ...doc };
  for (const [member, path] of Object.entries(SERVED_ENDPOINTS)) withDomain[member] = `${input.domainUrl}${path}`;
  // Members in alphabetical order, as in AWS's captures (OML §11.1).
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(withDomain).sort()) sorted[name] = withDomain[name];
  return sorted as unknown as OpenIdConfiguration;
}
