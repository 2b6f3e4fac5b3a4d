/**
 * @module Routes requests to a user-pool domain (OML §1.2). The domain is found first by Host
 * (`<prefix>.auth.<region>.amazoncognito.com`, `<prefix>.auth.localhost`, a custom domain's name;
 * any port), then by path prefix (`/_domains/<name>/…`), so it works without DNS. An unknown
 * domain, and any path the domain does not serve, is a plain 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostTarget } from '../domain/oauth/domain-names.ts';
import type { Services } from '../operations/services.ts';
import type { AddressOf } from '../protocol/client-address.ts';
import type { DomainHook } from '../protocol/listener.ts';
import type { Endpoint, EndpointTable } from './endpoint.ts';
import { sendNotFound } from './oauth-io.ts';
import { pageEndpoints } from './pages/page-endpoints.ts';
import { protocolEndpoints } from './protocol-endpoints.ts';

const PATH_PREFIX = /^\/_domains\/([^/]+)(\/.*)?$/u;

/**
 * Paths of a domain (OML §3). A custom domain is looked up by Host only for these, so that the API
 * and the server's own pages on an ordinary dotted host name cost no domain lookup.
 */
const DOMAIN_PATHS = /^\/(?:oauth2\/\w+|authorize|login|logout|signup|confirm|resendcode|confirmUser|forgotPassword|confirmforgotPassword|error|static\/style\.css|\.well-known\/openid-configuration)$/iu;

/**
 * One table for the whole domain: the OAuth protocol endpoints and the hosted pages. Paths match
 * exactly and, defensively, without regard to case (OML §3: clients' configurations vary).
 */
function endpointTable(s: Services): Map<string, Endpoint> {
  const table: EndpointTable = { ...protocolEndpoints(s), ...pageEndpoints(s) };
  return new Map(Object.entries(table).map(([path, endpoint]) => [path.toLowerCase(), endpoint]));
}

const MAY_BE_PREFIX_HOST = /\.auth\./iu;

export function domainRouter(s: Services, addressOf: AddressOf): DomainHook {
  const endpoints = endpointTable(s);

  const serve = async (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, name: string, path: string, prefixed: boolean): Promise<void> => {
    const endpoint = endpoints.get(path.toLowerCase());
    const domain = endpoint && (await s.store.getDomain(name));
    if (!domain || !endpoint) {
      req.resume();
      sendNotFound(res);
      return;
    }
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    const origin = `${secure ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}`;
    const own = new URL(url.href);
    own.pathname = path;
    await endpoint(req, res, { domain, url: own, base: prefixed ? `${origin}/_domains/${encodeURIComponent(name)}` : origin, secure, requestId, sourceIp: addressOf(req) });
  };

  return (req, res, url, requestId) => {
    // Every API call passes here: the Host header is parsed only when it can name a domain.
    const host = MAY_BE_PREFIX_HOST.test(req.headers.host ?? '') || DOMAIN_PATHS.test(url.pathname) ? hostTarget(req.headers.host) : undefined;
    if (host?.kind === 'prefix') return serve(req, res, url, requestId, host.name, url.pathname, false).then(() => true);
    const prefixed = PATH_PREFIX.exec(url.pathname);
    if (prefixed) return serve(req, res, url, requestId, safeDecode(prefixed[1]!), prefixed[2] ?? '/', true).then(() => true);
    if (host?.kind === 'custom' && DOMAIN_PATHS.test(url.pathname)) {
      return s.store.getDomain(host.name).then(async (domain) => {
        if (!domain || domain.kind !== 'custom') return false;
        await serve(req, res, url, requestId, domain.domain, url.pathname, false);
        return true;
      });
    }
    return false;
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
