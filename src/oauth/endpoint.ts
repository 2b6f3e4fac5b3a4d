/** @module What every endpoint of a user-pool domain receives: the request, the response, and where it was reached. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DomainRecord } from '../domain/oauth/records.ts';

export interface DomainRequest {
  domain: DomainRecord;
  /** The request's URL; `pathname` is the domain's own path (`/login`), the `/_domains/<name>` prefix removed. */
  url: URL;
  /**
   * The domain's base as this browser reached it, for absolute redirects and form actions:
   * `https://<prefix>.auth.localhost:9229` by Host, or `http://127.0.0.1:9229/_domains/<prefix>` by path.
   */
  base: string;
  /** True when the request came over TLS; cookies are `Secure` then. */
  secure: boolean;
  requestId: string;
  /** The browser's address as the API's limits see callers (behind a trusted proxy, the forwarded one). */
  sourceIp: string;
}

export type Endpoint = (req: IncomingMessage, res: ServerResponse, at: DomainRequest) => Promise<void>;

/** Paths as the domain serves them (OML §3); each module of endpoints contributes some. */
export type EndpointTable = Record<string, Endpoint>;
