// SSRF guard for Client ID Metadata Documents: before oidc-provider fetches a client's document,
// refuse hosts that are, or resolve to, loopback, private, link-local or otherwise special-use
// addresses. oidc-provider checks the connected socket too; this check runs first and says why.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// IPv4-mapped IPv6 (::ffff:a.b.c.d) is unwrapped and checked as IPv4 below: BlockList would match
// every IPv4 address against a ::ffff:0:0/96 rule.
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Resolves a host name to its addresses, as `dns.lookup` with `all: true` does; tests pass a fake. */
export type HostLookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Whether an address is one a metadata-document fetch must never reach (loopback, private, link-local,
 * other special-use ranges); anything not an IP address counts as one.
 * @internal Exported for its tests only: every special-use range, checked without resolving a name into it.
 */
export function isSpecialUseAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) {
    const v4 = address.slice(7);
    if (isIP(v4) === 4) return blocked.check(v4, 'ipv4');
  }
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a metadata document URL must not be fetched, or undefined when it may be. */
export async function metadataDocumentRefusal(
  clientId: string,
  lookup: HostLookup = systemLookup,
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'the client_id is not a URL';
  }
  if (url.protocol !== 'https:') return 'client ID metadata documents must be served over https';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname)) {
    return isSpecialUseAddress(hostname)
      ? `${hostname} is a private, loopback or reserved address`
      : undefined;
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(hostname);
  } catch {
    return `${hostname} could not be resolved`;
  }
  const bad = addresses.find((entry) => isSpecialUseAddress(entry.address));
  return bad ? `${hostname} resolves to ${bad.address}, a private, loopback or reserved address` : undefined;
}
