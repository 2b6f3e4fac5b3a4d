/**
 * @module The caller's address behind reverse proxies. X-Forwarded-For is written left to right:
 * each proxy appends the address it saw, so only entries added by proxies we trust are believable;
 * the leftmost entry is whatever the client chose to send.
 */
import type { IncomingMessage } from 'node:http';
import { ConfigError } from '../config/config.ts';
import { compileCidrs, inList } from '../util/cidrs.ts';

/** Off, a number of trusted proxy hops in front of the server, or the proxies' CIDR blocks. */
export type TrustProxy = false | number | readonly string[];

export type AddressOf = (req: IncomingMessage) => string;

const plain = (address: string | undefined): string => (address ?? '').replace(/^::ffff:/u, '');

export function clientAddressResolver(trust: TrustProxy): AddressOf {
  if (trust === false || trust === 0) return (req) => plain(req.socket.remoteAddress);
  const trusted = typeof trust === 'number' ? undefined : compileCidrs(trust, 'trustProxy');
  return (req) => {
    const peer = plain(req.socket.remoteAddress);
    const header = req.headers['x-forwarded-for'];
    if (!header) return peer;
    // The chain as the last proxy handed it over, nearest hop last: client, proxy1, …, peer.
    const chain = (Array.isArray(header) ? header.join(',') : header)
      .split(',')
      .map((entry) => plain(entry.trim()))
      .filter((entry) => entry !== '');
    chain.push(peer);
    if (trusted) {
      // Walk back from the peer while the hop is one of our proxies; the first stranger is the caller.
      for (let i = chain.length - 1; i > 0; i--) {
        const hop = chain[i] as string;
        if (!inList(trusted, hop)) return hop;
      }
      return chain[0] as string;
    }
    // N trusted hops: the peer is hop 1, so the caller is the entry N places left of it.
    const index = chain.length - 1 - (trust as number);
    return chain[Math.max(0, index)] as string;
  };
}

/** `--trust-proxy` alone means one proxy; a number is hops; anything else is a comma-separated CIDR list. */
export function parseTrustProxy(value: unknown, where = 'trustProxy'): TrustProxy {
  if (value === undefined || value === false || value === null) return false;
  if (value === true) return 1;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 32) throw new ConfigError(`${where} must be a number of proxy hops (0-32) or a list of CIDR blocks, got ${value}`);
    return value;
  }
  const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (!list) throw new ConfigError(`${where} must be a number of proxy hops or a list of CIDR blocks, got ${JSON.stringify(value)}`);
  if (list.length === 1 && /^[0-9]+$/u.test(list[0] as string)) return parseTrustProxy(Number(list[0]), where);
  compileCidrs(list, where);
  return list;
}
