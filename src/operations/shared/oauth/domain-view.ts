/** @module How a stored domain is shown: DomainDescriptionType (OML §1.1) and the names it hands out. */
import { createHash } from 'node:crypto';
import type { DomainRecord } from '../../../domain/oauth/records.ts';
import { errors } from '../../../domain/messages.ts';
import type { PoolRecord } from '../../../domain/records.ts';

/** The stand-in CloudFront name AWS gives a custom domain's DNS record: stable per name, never resolvable. */
export function cloudFrontDomain(domain: string): string {
  return `d${createHash('sha256').update(domain).digest('hex').slice(0, 13)}.cloudfront.net`;
}

/** ManagedLoginVersion: 1 (classic hosted UI, our default when omitted) or 2, which the LITE tier lacks (M). */
export function managedLoginVersion(pool: PoolRecord, requested: unknown, fallback: number): number {
  const version = requested === undefined || requested === null ? fallback : Number(requested);
  if (version !== 1 && version !== 2) throw errors.managedLoginVersion();
  if (version === 2 && pool.settings.UserPoolTier === 'LITE') throw errors.managedLoginTier();
  return version;
}

function version(at: number): string {
  return new Date(at).toISOString().replace(/\D/gu, '').slice(0, 14);
}

export function domainDescription(domain: DomainRecord, region: string, accountId: string): Record<string, unknown> {
  const s = domain.settings;
  return {
    UserPoolId: domain.poolId,
    AWSAccountId: accountId,
    Domain: domain.domain,
    S3Bucket: `aws-cognito-prod-${region}-assets`,
    CloudFrontDistribution: cloudFrontDomain(domain.domain),
    Version: version(domain.updatedAt),
    // Active at once: nothing here waits for DNS or a certificate (OML §1.1, I).
    Status: 'ACTIVE',
    ...(s.CustomDomainConfig ? { CustomDomainConfig: s.CustomDomainConfig } : {}),
    ManagedLoginVersion: s.ManagedLoginVersion,
    ...(s.Routing ? { Routing: s.Routing } : {}),
  };
}
