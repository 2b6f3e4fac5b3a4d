/**
 * @module The console's pool pages (docs/console.md): the list of pools and one pool's summary
 * (settings, triggers, the limits this server applies, its domain), read through ListUserPools
 * and DescribeUserPool; the client pages come from client-pages.ts. `poolRoutes` is the router's
 * entry for everything pool- and client-related (console contract).
 */
import { html } from '../web/html.ts';
import { clientRoutes } from './client-pages.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRoute } from './console-types.ts';
import { isCognitoError } from '../domain/errors.ts';
import type { ConsoleRequest } from './console-types.ts';
import { dateTime, link, pager, readForPage, runAdminOperation, seg, sendConsolePage, table } from './kit/index.ts';
import { poolSummary } from './pool-summary.ts';

const PAGE_SIZE = 20;
export function poolRoutes(c: ConsoleServices): ConsoleRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/pools',
      handler: async (_req, res, at) => {
        const next = at.url.searchParams.get('next') ?? undefined;
        const listed = await readForPage(c, res, at, 'ListUserPools', { MaxResults: PAGE_SIZE, ...(next ? { NextToken: next } : {}) });
        if (!listed) return;
        const pools = (listed.UserPools ?? []) as { Id: string; Name: string; CreationDate?: number }[];
        const rows = await Promise.all(
          pools.map(async (p) => {
            const described = (await readSilently(c, at, p.Id)) ?? {};
            return [
              link(at, `/pools/${seg(p.Id)}`, p.Name),
              html`<code>${p.Id}</code>`,
              String(described.UserPoolTier ?? ''),
              String(described.EstimatedNumberOfUsers ?? 0),
              dateTime(p.CreationDate),
            ];
          }),
        );
        sendConsolePage(res, at, {
          title: 'User pools',
          nav: 'pools',
          body: html`<h1>User pools</h1>
${table({ caption: 'User pools', columns: ['Name', 'Pool id', 'Tier', 'Estimated users', 'Created'], rows, empty: 'No user pools yet. Create one with CreateUserPool or declare one in the config file.' })}${pager(at, { path: '/pools', next: listed.NextToken as string | undefined, notFirst: next !== undefined })}`,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/pools/:poolId',
      handler: async (_req, res, at) => {
        const poolId = at.params.poolId!;
        const described = await readForPage(c, res, at, 'DescribeUserPool', { UserPoolId: poolId });
        if (!described) return;
        const pool = described.UserPool as Record<string, unknown>;
        // The attempt limits are this server's own (spec §5.6) and no operation returns them.
        const record = await c.s.store.getUserPool(poolId);
        const users = String(pool.EstimatedNumberOfUsers ?? 0);
        sendConsolePage(res, at, {
          title: String(pool.Name),
          nav: 'pools',
          body: poolSummary(c, at, pool, { limits: record?.limits, users }),
        });
      },
    },
    ...clientRoutes(c),
  ];
}

/** The pools list shows what it can: a pool deleted between the list and its description is shown without a tier. */
async function readSilently(c: ConsoleServices, at: ConsoleRequest, poolId: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await runAdminOperation(c, at, 'DescribeUserPool', { UserPoolId: poolId })).UserPool as Record<string, unknown>;
  } catch (error) {
    if (isCognitoError(error)) return undefined;
    throw error;
  }
}
