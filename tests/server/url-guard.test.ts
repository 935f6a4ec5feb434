// The URL policy on its own: which addresses are refused and why, and which URLs fail before any
// DNS or connection (schemes, credentials, literal IPs in all the forms the URL parser accepts).
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { canonicalAddress, checkAddress, checkUrl, isRefusedAddress, parseVideoUrl, validatePolicy } from '../../src/server/url-guard.js';

const DENY = { allowPrivate: false };

function refusal(fn: () => unknown): ActionLensError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionLensError);
    return e as ActionLensError;
  }
  throw new Error('expected a refusal, got none');
}

describe('isRefusedAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.0.1', 'link-local (cloud metadata)'],
    ['100.64.0.0', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'], // Alibaba Cloud metadata
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'], // documentation
    ['198.18.0.1', 'reserved'], // benchmarking
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local'], // AWS IPv6 metadata
    ['fe80::1', 'link-local (cloud metadata)'],
    ['fe80::a9fe:a9fe', 'link-local (cloud metadata)'], // OpenStack IPv6 metadata
    ['fe80::1%eth0', 'link-local (cloud metadata)'],
    ['febf:ffff::1', 'link-local (cloud metadata)'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'private'], // deprecated site-local
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'], // discard prefix
    ['4000::1', 'reserved'], // outside 2000::/3
    ['not-an-ip', 'not an IP address'],
    ['', 'not an IP address'],
  ])('%s -> %s', (ip, reason) => {
    expect(isRefusedAddress(ip)).toBe(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:0:10.1.2.3', 'private'], // RFC 6145 translated form
    ['::127.0.0.1', 'loopback'], // IPv4-compatible (deprecated)
    ['::8.8.8.8', 'reserved'], // IPv4-compatible form is never a real server
    ['64:ff9b::169.254.169.254', 'link-local (cloud metadata)'], // NAT64
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::1', 'reserved'], // local-use NAT64
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
    // Teredo: server 65.54.227.120, client ~(0xf5ff:fffe) = 10.0.0.1
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private'],
  ])('IPv4 inside IPv6: %s -> %s', (ip, reason) => {
    expect(isRefusedAddress(ip)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (ip) => {
    expect(isRefusedAddress(ip)).toBeUndefined();
  });

  it('Teredo is judged by both embedded IPv4 addresses', () => {
    // server 65.54.227.120; client stored inverted: ~f7f7:f7f7 = 8.8.8.8, ~3fff:fdd2 = 192.0.2.45 (documentation)
    expect(isRefusedAddress('2001:0:4136:e378:8000:63bf:f7f7:f7f7')).toBeUndefined();
    expect(isRefusedAddress('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toBe('reserved');
    // server 10.0.0.1, public client
    expect(isRefusedAddress('2001:0:a00:1:8000:63bf:f7f7:f7f7')).toBe('private');
  });
});

describe('checkAddress and allowed addresses', () => {
  it('names the host, the address and the reason', () => {
    const e = refusal(() => checkAddress('127.0.0.1', DENY, 'localhost'));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain('localhost');
    expect(e.message).toContain('127.0.0.1');
    expect(e.message).toContain('loopback');
    expect(e.hint).toContain('server.url_input.allow_private: true');
  });

  it('allowPrivate lets every address through', () => {
    expect(() => checkAddress('169.254.169.254', { allowPrivate: true })).not.toThrow();
  });

  it('allowedAddresses exempts exact addresses only, compared in canonical form', () => {
    const policy = { allowPrivate: false, allowedAddresses: ['127.0.0.1', 'FD00::0020'] };
    expect(() => checkAddress('127.0.0.1', policy)).not.toThrow();
    expect(() => checkAddress('::ffff:127.0.0.1', policy)).not.toThrow();
    expect(() => checkAddress('fd00::20', policy)).not.toThrow();
    expect(refusal(() => checkAddress('127.0.0.2', policy)).message).toContain('127.0.0.2');
    expect(refusal(() => checkAddress('fd00::21', policy)).message).toContain('unique-local');
  });

  it('canonicalAddress unwraps mapped IPv4 and normalises IPv6', () => {
    expect(canonicalAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(canonicalAddress('FD00::0020')).toBe('fd00:0:0:0:0:0:0:20');
    expect(canonicalAddress('example.com')).toBeUndefined();
  });

  it('a host name in allowedAddresses is a settings error, not a silent no-op', () => {
    const e = refusal(() => validatePolicy({ allowPrivate: false, allowedAddresses: ['localhost'] }));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toContain('localhost');
  });
});

describe('parseVideoUrl / checkUrl', () => {
  it.each([
    ['file:///etc/passwd', 'file:'],
    ['ftp://example.com/clip.mp4', 'ftp:'],
    ['data:video/mp4;base64,AAAA', 'data:'],
    ['javascript:alert(1)', 'javascript:'],
    ['gopher://example.com:70/_x', 'gopher:'],
    ['ws://example.com/', 'ws:'],
  ])('refuses %s naming the scheme', (url, scheme) => {
    const e = refusal(() => checkUrl(url, DENY));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain(`"${scheme}"`);
  });

  it.each(['http://user:pass@example.com/a.mp4', 'https://user@example.com/a.mp4', 'http://:secret@example.com/'])(
    'refuses credentials in %s',
    (url) => {
      const e = refusal(() => parseVideoUrl(url));
      expect(e.code).toBe('AL_ERR_URL_REFUSED');
      expect(e.message).toContain('user:pass@host');
      expect(e.message).not.toContain('secret');
    },
  );

  it.each(['', 'not a url', '/relative/clip.mp4', `https://example.com/${'a'.repeat(9000)}`])('refuses malformed %j', (url) => {
    expect(refusal(() => parseVideoUrl(url)).code).toBe('AL_ERR_URL_REFUSED');
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://2130706433/', '127.0.0.1', 'loopback'], // decimal
    ['http://0x7f.1/', '127.0.0.1', 'loopback'], // hex, short form
    ['http://0177.0.0.1/', '127.0.0.1', 'loopback'], // octal
    ['http://127.1/', '127.0.0.1', 'loopback'],
    ['http://0/', '0.0.0.0', 'unspecified'],
    ['http://%31%32%37.0.0.1/', '127.0.0.1', 'loopback'], // percent-encoded host
    ['http://[::1]:8080/', '[::1]', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]', 'loopback'],
    ['http://[::127.0.0.1]/', '[::7f00:1]', 'loopback'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254', 'link-local (cloud metadata)'],
    ['http://[fd00:ec2::254]/', '[fd00:ec2::254]', 'unique-local'],
    ['https://10.0.0.5/video.mp4', '10.0.0.5', 'private'],
    ['http://0xa9fea9fe/', '169.254.169.254', 'link-local (cloud metadata)'],
  ])('refuses literal host %s before any DNS', (url, shown, reason) => {
    const e = refusal(() => checkUrl(url, DENY));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain(shown);
    expect(e.message).toContain(reason);
  });

  it('accepts public literal hosts and host names (names are checked at connect time)', () => {
    const ip = checkUrl('https://93.184.215.14/clip.mp4', DENY);
    expect(ip).toMatchObject({ host: '93.184.215.14', isIpLiteral: true });
    const v6 = checkUrl('http://[2606:4700:4700::1111]:8080/x', DENY);
    expect(v6).toMatchObject({ host: '2606:4700:4700::1111', isIpLiteral: true });
    const name = checkUrl('HTTPS://Example.COM/a b.mp4', DENY);
    expect(name.isIpLiteral).toBe(false);
    expect(name.host).toBe('example.com');
    expect(name.url.href).toBe('https://example.com/a%20b.mp4');
  });

  it('literal private hosts pass with allowPrivate or an exact allowed address', () => {
    expect(checkUrl('http://127.0.0.1:9/', { allowPrivate: true }).host).toBe('127.0.0.1');
    expect(checkUrl('http://2130706433:9/', { allowPrivate: false, allowedAddresses: ['127.0.0.1'] }).host).toBe('127.0.0.1');
    expect(refusal(() => checkUrl('http://127.0.0.2:9/', { allowPrivate: false, allowedAddresses: ['127.0.0.1'] })).message).toContain(
      '127.0.0.2',
    );
  });
});
