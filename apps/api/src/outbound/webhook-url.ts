import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import { DomainError, UserErrorCode } from '@refunds/domain';

/**
 * Server-side request forgery: a webhook URL is typed by a customer of this service, and the API
 * POSTs to it from inside our network. Addresses that are not on the public internet (loopback,
 * private, link-local — cloud metadata lives at 169.254.169.254 —, carrier-grade NAT, multicast,
 * reserved) are refused, both when the URL is saved and, because DNS answers can change, again on
 * the addresses the name resolves to when each delivery connects.
 *
 * Node's own net.BlockList holds the ranges (no hand-written CIDR arithmetic).
 */
const blocked = new BlockList();
for (const [network, prefix] of [
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
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address written inside IPv6 (::ffff:a.b.c.d or ::ffff:xxxx:xxxx), else null. */
function embeddedIpv4(address: string): string | null {
  const match = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!match) return null;
  const tail = match[1]!;
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address is anything but a public unicast address. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return blocked.check(bare, 'ipv4');
  if (version === 6) {
    const v4 = embeddedIpv4(bare);
    return v4 !== null ? blocked.check(v4, 'ipv4') : blocked.check(bare, 'ipv6');
  }
  return true; // not an address at all: never treat it as a safe one
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;
const MAX_URL_LENGTH = 2048;

export interface UrlPolicy {
  /** WEBHOOKS_ALLOW_PRIVATE=true: development and tests only. */
  readonly allowPrivateTargets: boolean;
}

const invalid = (message: string) =>
  new DomainError(UserErrorCode.INVALID_URL, message, ['input', 'url']);

export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

const lookupAll = promisify(dnsLookup);
export const systemResolve: Resolve = (hostname) =>
  lookupAll(hostname, { all: true, verbatim: true });

/**
 * The URL as it will be stored, or INVALID_URL: https (http too in development), no credentials
 * in it, and a host that neither is nor resolves to a non-public address. A name that does not
 * resolve now is accepted (a receiver may be set up after its endpoint); every delivery checks
 * again when it connects.
 */
export async function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: Resolve = systemResolve,
): Promise<string> {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_URL_LENGTH) {
    throw invalid(`Enter a URL of at most ${MAX_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('That is not a URL. Enter one such as https://example.com/webhooks.');
  }
  const schemes = policy.allowPrivateTargets ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    throw invalid(
      policy.allowPrivateTargets
        ? 'The URL must start with https:// (or http://, which this development setting allows).'
        : 'The URL must start with https://.',
    );
  }
  if (url.username || url.password) {
    throw invalid('Leave the user name and password out of the URL; deliveries are signed.');
  }
  if (policy.allowPrivateTargets) return url.toString();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (isNonPublicAddress(host)) throw invalid(privateMessage(host));
    return url.toString();
  }
  if (LOCAL_NAMES.test(host) || !host.includes('.')) throw invalid(privateMessage(host));
  let addresses: readonly LookupAddress[] = [];
  try {
    addresses = await resolve(host);
  } catch {
    return url.toString();
  }
  const inside = addresses.find((a) => isNonPublicAddress(a.address));
  if (inside) throw invalid(privateMessage(`${host} (${inside.address})`));
  return url.toString();
}

const privateMessage = (what: string) =>
  `${what} is a private, loopback or link-local address. Webhooks go to public addresses only.`;

/** Why a delivery did not connect: the target turned out not to be public. */
export class BlockedAddressError extends Error {
  constructor(readonly address: string) {
    super(`Refused to connect to ${address}: not a public address.`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses non-public answers, so the check is made on the very
 * address the socket connects to (a DNS answer that changes between the check and the connect —
 * DNS rebinding — cannot slip through).
 */
export function guardedLookup(policy: UrlPolicy, resolve: Resolve = systemResolve) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const usable = policy.allowPrivateTargets
          ? addresses
          : addresses.filter((a) => !isNonPublicAddress(a.address));
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new BlockedAddressError(
            addresses[0]?.address ?? hostname,
          );
          error.code = 'EBLOCKED';
          callback(error, '', 0);
          return;
        }
        if (options.all) callback(null, [...usable]);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
