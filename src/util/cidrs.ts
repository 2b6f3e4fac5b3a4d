/** @module Lists of IP addresses and CIDR blocks from configuration, checked when the server starts. */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config/config.ts';

/** A rule that silently never matches is a block that never happens: every entry must parse. */
export function compileCidrs(cidrs: readonly unknown[], where: string): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits, extra] = String(cidr).split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const validPrefix = bits === undefined || (/^[0-9]+$/u.test(bits) && prefix <= (family === 4 ? 32 : 128));
    if (family === 0 || !validPrefix || extra !== undefined) throw new ConfigError(`${where}: "${cidr}" is not an IP address or CIDR block`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

export function inList(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
