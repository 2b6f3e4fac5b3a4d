/**
 * @module The DNS-rebinding guard of the local-only surfaces (the control API, the console in the
 * local profile): only loopback Host and Origin values, and the names an operator added
 * (`--control-hosts`), are answered, so a public name rebound to 127.0.0.1 reaches nothing.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAME = /^(localhost|[^.]+(\.[^.]+)*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/iu;

/** The host name of a Host header (`name[:port]`) or an Origin (`scheme://name[:port]`), lower-cased. */
function hostnameOf(value: string, isOrigin: boolean): string | undefined {
  try {
    const url = new URL(isOrigin ? value : `http://${value}`);
    // A sandboxed frame or a file:// page sends the opaque origin "null": it is no loopback page.
    return isOrigin && url.origin === 'null' ? undefined : url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function allowedName(value: string | undefined, isOrigin: boolean, extra: readonly string[]): boolean {
  // Browsers always send Host, and Origin on a POST or a cross-origin call; tools such as curl send no Origin.
  if (value === undefined) return isOrigin;
  const name = hostnameOf(value, isOrigin);
  return name !== undefined && (LOOPBACK_NAME.test(name) || extra.includes(name));
}

/** True when both the request's Host and (if sent) its Origin name this machine or an allowed host. */
export function fromLoopback(req: IncomingMessage, extra: readonly string[]): boolean {
  return allowedName(req.headers.host, false, extra) && allowedName(req.headers.origin, true, extra);
}
