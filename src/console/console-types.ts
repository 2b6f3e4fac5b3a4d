/**
 * @module What every page and action of the admin console receives (docs/console.md): the request
 * as the console router has checked it (who is asking, CSRF for a POST, the route's parameters).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ConsoleRequest {
  url: URL;
  /** The path inside the console: `/pools/us-east-1_abc/users` for `/_console/pools/us-east-1_abc/users`. */
  path: string;
  /** The route pattern's named parts, decoded (`:poolId` → `params.poolId`). */
  params: Readonly<Record<string, string>>;
  /** Where the console is mounted as the browser reaches it, without a trailing slash (`/_console`); links are `${at.base}/pools`. */
  base: string;
  /** Who is asking, for the action log: `local` in the local profile, else the admin access key id, or `token`. */
  actor: string;
  secure: boolean;
  requestId: string;
  sourceIp: string;
  /** The CSRF token every form carries as its hidden `_csrf` field. */
  csrf: string;
  /** A POST's form fields, its CSRF token already checked by the router; undefined for a GET. */
  form?: ReadonlyMap<string, string>;
}

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse, at: ConsoleRequest) => Promise<void>;

export interface ConsoleRoute {
  method: 'GET' | 'POST';
  /** Segments, with `:name` for a parameter: `/pools/:poolId/users/:username`. */
  pattern: string;
  handler: ConsoleHandler;
}
