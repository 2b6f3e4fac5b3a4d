/** @module DescribeUserPoolDomain: an unknown domain is an empty description, not an error (OML §1.1, what IaC tools test availability with). */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { domainDescription } from './shared/oauth/domain-view.ts';

export function describeUserPoolDomain(s: Pick<Services, 'store' | 'gate' | 'region' | 'accountId'>): OperationHandler {
  return async (input, ctx) => {
    s.gate.checkRate(ctx.operation, ctx.now);
    const domain = await s.store.getDomain(String(input.Domain));
    return { DomainDescription: domain ? domainDescription(domain, s.region, s.accountId) : {} };
  };
}
