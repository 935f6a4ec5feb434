// Which video URLs the server may fetch. A web page can make the server download any URL it
// likes, so without this policy the server would be a proxy into the user's own network and the
// cloud metadata service (SSRF). Pure functions, no I/O: fetch-url.ts applies them to every
// literal host, to every address DNS returns at connect time, and to every redirect.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ActionLensError } from '../core/errors.js';

/** Whether private addresses may be reached, and single addresses exempt from the check. */
export interface UrlPolicy {
  /** server.url_input.allow_private: skip the address check entirely. */
  allowPrivate: boolean;
  /** Exact IPs exempt from the check (tests, or a user who allows one host). */
  allowedAddresses?: readonly string[];
}

/** A URL that passed the static checks. */
export interface CheckedUrl {
  url: URL;
  /** Host name as given to DNS / the socket: IPv6 without brackets, IPv4 in dotted decimal. */
  host: string;
  /** True when the host is an IP literal (already checked; Node connects to it without DNS). */
  isIpLiteral: boolean;
}

export const PRIVATE_HINT =
  'Use a public http(s) URL, or set server.url_input.allow_private: true if the server should reach your own network.';

const MAX_URL_LENGTH = 8192;

const V4_REASONS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local (cloud metadata)',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
};
/** Special IPv4 ranges that are ordinary routable unicast. */
const V4_PUBLIC = new Set(['unicast', 'as112', 'amt']);

const V6_REASONS: Record<string, string> = {
  unspecified: 'unspecified',
  loopback: 'loopback',
  // OpenStack serves metadata on fe80::a9fe:a9fe, like 169.254.169.254 on IPv4.
  linkLocal: 'link-local (cloud metadata)',
  multicast: 'multicast',
  // AWS serves IPv6 metadata on fd00:ec2::254.
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'private',
};
/** Special IPv6 ranges that are ordinary routable unicast (all inside 2000::/3). */
const V6_PUBLIC = new Set(['unicast', 'as112v6', 'amt']);

function v4FromWords(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function v4Reason(addr: ipaddr.IPv4): string | undefined {
  const range: string = addr.range();
  if (V4_PUBLIC.has(range)) return undefined;
  return V4_REASONS[range] ?? 'reserved';
}

/** Addresses that carry an IPv4 address inside an IPv6 one reach (or are translated to) that IPv4 host. */
function embeddedV4(addr: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const p = addr.parts;
  const range: string = addr.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return [v4FromWords(p[6]!, p[7]!)];
  // 64:ff9b::/96 (well-known NAT64 prefix); the local-use 64:ff9b:1::/48 is refused below as reserved.
  if (range === 'rfc6052' && p[2] === 0) return [v4FromWords(p[6]!, p[7]!)];
  if (range === '6to4') return [v4FromWords(p[1]!, p[2]!)];
  // Teredo: the relay server's IPv4 in words 2-3, the client's IPv4 stored inverted in words 6-7.
  if (range === 'teredo') return [v4FromWords(p[2]!, p[3]!), v4FromWords(~p[6]! & 0xffff, ~p[7]! & 0xffff)];
  // Deprecated IPv4-compatible form ::a.b.c.d (but not :: and ::1, which have their own reasons).
  if (p.slice(0, 6).every((w) => w === 0) && (p[6] !== 0 || p[7]! > 1)) return [v4FromWords(p[6]!, p[7]!)];
  return undefined;
}

function parseIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  let s = ip.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  // ipaddr.js reads any IPv6 text ending in a dotted quad as IPv4-mapped (it parses "::8.8.8.8" as
  // ::ffff:8.8.8.8); rewrite the quad as two hex words so the address keeps its real prefix.
  const quad = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(%.*)?$/.exec(s);
  if (quad) {
    const b = quad.slice(2, 6).map(Number);
    if (b.some((x) => x > 255)) return undefined;
    s = `${quad[1]}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}${quad[6] ?? ''}`;
  }
  try {
    return ipaddr.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * Why a server must not connect to `ip`, or undefined when it is an ordinary public address.
 * IPv4 inside IPv6 (mapped, IPv4-compatible, NAT64, 6to4, Teredo) is judged by the IPv4 address.
 * Anything that does not parse as an IP is refused (fail closed).
 */
export function isRefusedAddress(ip: string): string | undefined {
  const addr = parseIp(ip);
  if (!addr) return 'not an IP address';
  if (addr.kind() === 'ipv4') return v4Reason(addr as ipaddr.IPv4);
  const v6 = addr as ipaddr.IPv6;
  const inner = embeddedV4(v6);
  if (inner) {
    for (const a of inner) {
      const reason = v4Reason(a);
      if (reason) return reason;
    }
    // The IPv4-compatible form is deprecated and never a real server.
    return v6.parts.slice(0, 6).every((w) => w === 0) ? 'reserved' : undefined;
  }
  const range: string = v6.range();
  if (V6_REASONS[range]) return V6_REASONS[range];
  // Only 2000::/3 is allocated global unicast; the rest is reserved or special-purpose.
  if (V6_PUBLIC.has(range) && (v6.parts[0]! & 0xe000) === 0x2000) return undefined;
  return 'reserved';
}

/** Canonical text of an address (IPv4-mapped IPv6 unwrapped), for comparing exact IPs; undefined if not an IP. */
export function canonicalAddress(ip: string): string | undefined {
  const addr = parseIp(ip);
  if (!addr) return undefined;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address().toString();
  return addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toNormalizedString() : addr.toString();
}

/** Checks policy.allowedAddresses once: each entry must be an IP (a host name there would be a silent no-op). */
export function validatePolicy(policy: UrlPolicy): void {
  for (const a of policy.allowedAddresses ?? []) {
    if (canonicalAddress(a) === undefined) {
      throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `Allowed address "${a}" is not an IP address.`, {
        hint: 'List exact IPv4 or IPv6 addresses, e.g. 192.168.1.20 or fd00::20; host names are not accepted there.',
      });
    }
  }
}

/**
 * Throws AL_ERR_URL_REFUSED when the policy forbids connecting to `ip`.
 * `host` is the name the address came from (shown in the message when it differs from the IP).
 */
export function checkAddress(ip: string, policy: UrlPolicy, host?: string): void {
  if (policy.allowPrivate) return;
  const reason = isRefusedAddress(ip);
  if (!reason) return;
  const canonical = canonicalAddress(ip);
  if (canonical !== undefined && (policy.allowedAddresses ?? []).some((a) => canonicalAddress(a) === canonical)) return;
  const shown = ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
  const where = host && host.replace(/^\[|\]$/g, '') !== ip ? `host ${host} resolves to ${shown}, which` : `host ${shown}`;
  throw new ActionLensError('AL_ERR_URL_REFUSED', `The video URL was refused: ${where} is a ${reason} address.`, {
    hint: PRIVATE_HINT,
  });
}

/** Parses a user's URL and checks the scheme and credentials (no address check). */
export function parseVideoUrl(raw: string): URL {
  const text = raw.trim();
  if (text.length === 0) {
    throw new ActionLensError('AL_ERR_URL_REFUSED', 'The video URL is empty.', { hint: 'Give an http:// or https:// URL of a video file.' });
  }
  if (text.length > MAX_URL_LENGTH) {
    throw new ActionLensError('AL_ERR_URL_REFUSED', `The video URL is ${text.length} characters long; at most ${MAX_URL_LENGTH} are accepted.`, {
      hint: 'Give a shorter direct link to the video file.',
    });
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ActionLensError('AL_ERR_URL_REFUSED', 'The video URL is not a valid absolute URL.', {
      hint: 'Give a full URL such as https://example.com/clip.mp4.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ActionLensError('AL_ERR_URL_REFUSED', `The video URL was refused: the scheme "${url.protocol}" is not allowed; only http: and https: are.`, {
      hint: 'Give an http:// or https:// URL of a video file; for a local file, upload it instead.',
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new ActionLensError('AL_ERR_URL_REFUSED', 'The video URL was refused: it contains a user name or password (user:pass@host).', {
      hint: 'Remove the credentials from the URL; for a protected video, download it and upload the file instead.',
    });
  }
  if (url.hostname === '') {
    throw new ActionLensError('AL_ERR_URL_REFUSED', 'The video URL has no host.', { hint: 'Give a full URL such as https://example.com/clip.mp4.' });
  }
  return url;
}

/**
 * Static checks for one URL (the first one or a redirect target): scheme, credentials, and, when the
 * host is an IP literal, the address. The WHATWG parser has already turned decimal, hex and octal
 * IPv4 forms (http://2130706433/, http://0x7f.1/) into dotted decimal, so they are caught here,
 * before any DNS. Host names still need the connect-time check of every resolved address.
 */
export function checkUrl(raw: string | URL, policy: UrlPolicy): CheckedUrl {
  const url = typeof raw === 'string' ? parseVideoUrl(raw) : parseVideoUrl(raw.href);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const isIpLiteral = parseIpStrict(host);
  if (isIpLiteral) checkAddress(host, policy);
  return { url, host, isIpLiteral };
}

/** net.isIP is what Node uses to skip DNS; ipaddr's looser forms are refused here too, to fail closed. */
function parseIpStrict(host: string): boolean {
  return isIP(host) !== 0 || ipaddr.isValid(host);
}
