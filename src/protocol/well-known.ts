/**
 * @module `GET /<poolId>/.well-known/jwks.json` and `…/openid-configuration`, served by every
 * instance without authentication (sign-in spec §10.8), so JWT libraries can fetch the keys.
 */
import type { ServerResponse } from 'node:http';
import type { PoolRecord } from '../domain/records.ts';
import { openIdConfiguration } from '../domain/tokens/issuer.ts';
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

/** `clock` decides which retired keys are still listed, so the control API's clock ages them out too. */
export function wellKnownRoute(tokens: TokenService, getPool: (poolId: string) => Promise<PoolRecord | undefined>, publicUrl: string, clock: Clock) {
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
      reply(res, 200, openIdConfiguration({ issuer: tokens.issuer(poolId), jwksUri: `${publicUrl}/${poolId}/.well-known/jwks.json` }));
    };
  };
}
