import { BlockList, isIP } from 'node:net';

/**
 * Addresses a source URL may not reach unless the user opts in: loopback, private, link-local (cloud
 * metadata at 169.254.169.254 included), carrier-grade NAT, "this network", multicast and reserved
 * ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 is unwrapped first, so ::ffff:127.0.0.1 is loopback).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 0) return true; // not an address at all: never trust it
  return BLOCKED.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
