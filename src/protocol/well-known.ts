/**
 * @module `GET /<poolId>/.well-known/jwks.json` and `…/openid-configuration`, served by every
 * instance without authentication (sign-in spec §10.8), so JWT libraries can fetch the keys. With
 * a domain the document points at the domain's endpoints that are served (OML §11.1).
 */
import type { ServerResponse } from 'node:http';
import type { DomainRecord } from '../domain/oauth/records.ts';
import type { PoolRecord } from '../domain/records.ts';
import { domainBaseUrl, poolDiscovery } from '../oauth/discovery.ts';
import type { TokenService } from '../operations/shared/sign-in/token-service.ts';
import type { Clock } from '../util/clock.ts';
import type { Route } from './listener.ts';

const PATH = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/u;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Public documents a browser-based verifier may fetch from any origin; keys change rarely.
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Access-Control-Allow-Origin': '*', 'Cache-Control': status === 200 ? 'public, max-age=300' : 'no-store' });
  res.end(text);
}

/**
 * `clock` decides which retired keys are still listed, so the control API's clock ages them out too.
 * `domainsOf` gives the pool's domains, prefix first; without it the document has none.
 */
export function wellKnownRoute(
  tokens: TokenService,
  getPool: (poolId: string) => Promise<PoolRecord | undefined>,
  publicUrl: string,
  clock: Clock,
  domainsOf?: (poolId: string) => Promise<DomainRecord[]>,
) {
  return (method: string, path: string): Route | undefined => {
    const match = method === 'GET' ? PATH.exec(path) : null;
    if (!match) return undefined;
    const [, poolId = '', document] = match;
    return async (_req, res) => {
      if (!(await getPool(poolId))) {
        reply(res, 404, { message: `User pool ${poolId} does not exist.` });
        return;
      }
      if (document === 'jwks.json') {
        reply(res, 200, await tokens.jwks(poolId, clock.now()));
        return;
      }
      const [domain] = (await domainsOf?.(poolId)) ?? [];
      const domainUrl = domain && domainBaseUrl(publicUrl, domain);
      reply(res, 200, poolDiscovery({ issuer: tokens.issuer(poolId), jwksUri: `${publicUrl}/${poolId}/.well-known/jwks.json`, domainUrl }));
    };
  };
}
