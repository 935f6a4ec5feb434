// Downloads a user's video URL to disk without letting the URL reach private networks (SSRF).
// Every address is checked where the socket is made: literal IP hosts before the request, and host
// names inside the request's own `lookup`, so the addresses checked are the addresses connected to
// (a DNS answer that changes between a check and a fetch - DNS rebinding - cannot slip through).
// Redirects are followed by hand so each target gets the same checks. The body streams to a temp
// file beside the destination that is renamed only when complete; any failure removes it.
import { lookup as dnsLookup, promises as dnsPromises, type LookupAddress } from 'node:dns';
import { open, rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActionLensError, isActionLensError } from '../core/errors.js';
import { tempPathFor } from '../io/atomic-write.js';
import { checkAddress, checkUrl, validatePolicy, type CheckedUrl, type UrlPolicy } from './url-guard.js';

export interface DownloadUrlOptions extends UrlPolicy {
  /** Largest body accepted (server.url_input.max_mb in bytes). */
  maxBytes: number;
  /** Limit for the whole download, redirects included (server.url_input.timeout_sec in ms). */
  timeoutMs: number;
  /** Redirects followed; one more fails (server.url_input.max_redirects). */
  maxRedirects: number;
  signal?: AbortSignal;
  /** Bytes written so far, and the announced length when the server sent one. */
  onProgress?: (received: number, total?: number) => void;
}

export interface DownloadResult {
  /** destPath, now holding the complete body. */
  path: string;
  bytes: number;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
  contentType?: string;
  /** Safe file name suggested by Content-Disposition or the URL path ([A-Za-z0-9._-], at most 100 chars). */
  fileName: string;
}

/** A connect or read that sees no data for this long fails even when the whole-download limit is larger. */
const IDLE_LIMIT_MS = 30_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const FETCH_HINT = 'Check the URL in a browser; or download the file and upload it instead.';

/**
 * A `lookup` for http(s).request that resolves with the system resolver (like Node's default) and
 * refuses the connection when any address is refused by the policy. `onRefused` sees the error.
 */
export function createGuardedLookup(policy: UrlPolicy, onRefused?: (e: ActionLensError) => void): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '');
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      }
      try {
        for (const a of addresses) checkAddress(a.address, policy, hostname);
      } catch (e) {
        if (isActionLensError(e)) onRefused?.(e);
        return callback(e as NodeJS.ErrnoException, '');
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * The check to run when a URL is submitted, so it can be refused (400) before a job is queued:
 * scheme, credentials, literal IP, and every address the host name resolves to now. The download
 * checks again at connect time, so a later DNS change does not get past it. Returns the normalised URL.
 */
export async function checkUrlPolicy(rawUrl: string, policy: UrlPolicy): Promise<URL> {
  validatePolicy(policy);
  const checked = checkUrl(rawUrl, policy);
  if (checked.isIpLiteral) return checked.url;
  let addresses: LookupAddress[];
  try {
    addresses = await dnsPromises.lookup(checked.host, { all: true });
  } catch (e) {
    throw networkError(e, checked);
  }
  if (addresses.length === 0) throw networkError(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), checked);
  for (const a of addresses) checkAddress(a.address, policy, checked.host);
  return checked.url;
}

/**
 * Downloads `url` to `destPath` under the policy and limits in `opts`. Throws AL_ERR_URL_REFUSED,
 * AL_ERR_URL_FETCH_FAILED, AL_ERR_UPLOAD_TOO_LARGE, AL_ERR_ABORTED or AL_ERR_OUTPUT_UNWRITABLE; on
 * any failure nothing is left at destPath (an existing file there is left as it was).
 */
export async function downloadUrl(url: string, destPath: string, opts: DownloadUrlOptions): Promise<DownloadResult> {
  validateOptions(opts);
  if (opts.signal?.aborted) throw abortedError();

  let current: CheckedUrl | undefined;
  let tmp: string | undefined;
  // The first failure wins: later errors are consequences of tearing the request down.
  const controller = new AbortController();
  let failure: unknown;
  const fail = (e: unknown): void => {
    if (failure !== undefined) return;
    failure = e;
    controller.abort(e);
  };
  const timer = setTimeout(() => fail(timeoutError(current, opts.timeoutMs, 'the whole download')), opts.timeoutMs);
  const onAbort = (): void => fail(abortedError());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const lookup = createGuardedLookup(opts, fail);

  try {
    current = checkUrl(url, opts);
    let res: IncomingMessage;
    for (let redirects = 0; ; redirects++) {
      res = await request(current, lookup, controller.signal, Math.min(opts.timeoutMs, IDLE_LIMIT_MS), fail);
      // Defence in depth: the peer we actually reached must pass too.
      const peer = res.socket?.remoteAddress;
      if (peer) checkAddress(peer, opts, current.host);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        res.destroy();
        if (redirects >= opts.maxRedirects) {
          throw new ActionLensError('AL_ERR_URL_FETCH_FAILED', `Too many redirects: ${current.url.host} redirected more than ${opts.maxRedirects} time(s).`, {
            hint: 'Give the final URL of the video directly (redirect loops also end here), or raise server.url_input.max_redirects.',
          });
        }
        let next: URL;
        try {
          next = new URL(location, current.url);
        } catch {
          throw new ActionLensError('AL_ERR_URL_FETCH_FAILED', `${current.url.host} redirected to an invalid URL.`, { hint: FETCH_HINT });
        }
        current = checkRedirect(next, opts, current);
        continue;
      }
      if (status < 200 || status > 299) {
        res.destroy();
        throw new ActionLensError('AL_ERR_URL_FETCH_FAILED', `${current.url.host} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''} for the video URL.`, {
          hint: FETCH_HINT,
        });
      }
      break;
    }

    const declared = parseLength(res.headers['content-length']);
    if (declared !== undefined && declared > opts.maxBytes) {
      res.destroy();
      throw tooLargeError(opts.maxBytes, declared);
    }

    tmp = tempPathFor(destPath);
    const file = await open(tmp, 'wx', 0o644).catch((e: unknown) => {
      tmp = undefined; // not created: nothing to remove
      throw outputError(destPath, e);
    });
    const out = file.createWriteStream();
    out.on('error', (e) => fail(outputError(destPath, e)));
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        received += chunk.length;
        if (received > opts.maxBytes) {
          const e = tooLargeError(opts.maxBytes);
          fail(e);
          return done(e);
        }
        try {
          opts.onProgress?.(received, declared);
        } catch (e) {
          fail(e);
          return done(e as Error);
        }
        done(null, chunk);
      },
    });
    await pipeline(res, counter, out, { signal: controller.signal });
    if (declared !== undefined && received !== declared) {
      throw new ActionLensError('AL_ERR_URL_FETCH_FAILED', `${current.url.host} sent ${received} of the ${declared} bytes it announced.`, { hint: FETCH_HINT });
    }
    if (failure !== undefined) throw failure;
    await rename(tmp, destPath).catch((e: unknown) => {
      throw outputError(destPath, e);
    });
    tmp = undefined;
    return {
      path: destPath,
      bytes: received,
      finalUrl: current.url.href,
      ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}),
      fileName: suggestFileName(headerText(res.headers['content-disposition']), current.url),
    };
  } catch (e) {
    throw failure ?? (isActionLensError(e) ? e : networkError(e, current));
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    controller.abort(); // releases a socket still open after an early throw
    if (tmp !== undefined) await rm(tmp, { force: true });
  }
}

/** One GET with no connection pooling (a pooled socket could outlive the check of its address). */
function request(
  target: CheckedUrl,
  lookup: LookupFunction,
  signal: AbortSignal,
  idleMs: number,
  fail: (e: unknown) => void,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = target.url.protocol === 'https:' ? https : http;
    const req = mod.request({
      protocol: target.url.protocol,
      hostname: target.host,
      port: target.url.port === '' ? undefined : Number(target.url.port),
      path: `${target.url.pathname}${target.url.search}`,
      method: 'GET',
      headers: { 'user-agent': 'actionlens', accept: 'video/*, application/octet-stream;q=0.9, */*;q=0.5' },
      agent: false,
      lookup,
      signal,
      timeout: idleMs,
    });
    // The socket timeout also covers a body that stops arriving (the response shares the socket).
    req.on('timeout', () => fail(timeoutError(target, idleMs, 'no data')));
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

function checkRedirect(next: URL, policy: UrlPolicy, from: CheckedUrl): CheckedUrl {
  try {
    return checkUrl(next, policy);
  } catch (e) {
    if (isActionLensError(e) && e.code === 'AL_ERR_URL_REFUSED') {
      throw new ActionLensError('AL_ERR_URL_REFUSED', `${from.url.host} redirected to ${next.protocol}//${next.host}: ${e.message.replace(/^The video URL was refused: /, '')}`, {
        hint: e.hint,
        cause: e,
      });
    }
    throw e;
  }
}

function validateOptions(opts: DownloadUrlOptions): void {
  validatePolicy(opts);
  const bad = (what: string): never => {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `URL download: ${what}.`, {
      hint: 'Check server.url_input (max_mb, timeout_sec, max_redirects) in the config.',
    });
  };
  if (!(Number.isFinite(opts.maxBytes) && opts.maxBytes > 0)) bad(`maxBytes must be a positive number, got ${opts.maxBytes}`);
  if (!(Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0)) bad(`timeoutMs must be a positive number, got ${opts.timeoutMs}`);
  if (!(Number.isInteger(opts.maxRedirects) && opts.maxRedirects >= 0)) bad(`maxRedirects must be a whole number >= 0, got ${opts.maxRedirects}`);
}

function parseLength(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Small sizes in bytes, others in MB as in server.url_input.max_mb. */
function formatBytes(n: number): string {
  if (n < 100_000) return `${n} bytes`;
  return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
}

function tooLargeError(maxBytes: number, declared?: number): ActionLensError {
  const size = declared === undefined ? 'more than' : `${formatBytes(declared)}, more than`;
  return new ActionLensError('AL_ERR_UPLOAD_TOO_LARGE', `The video at the URL is ${size} the limit of ${formatBytes(maxBytes)}; nothing was kept.`, {
    hint: 'Use a shorter or smaller video, or raise server.url_input.max_mb in the config.',
  });
}

function timeoutError(target: CheckedUrl | undefined, ms: number, what: string): ActionLensError {
  const host = target ? target.url.host : 'the server';
  const secs = ms >= 1000 ? `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s` : `${ms} ms`;
  return new ActionLensError('AL_ERR_URL_FETCH_FAILED', `Downloading from ${host} timed out (${what}: ${secs}); nothing was kept.`, {
    hint: 'The server is slow or stalled: try again, download the file and upload it instead, or raise server.url_input.timeout_sec.',
  });
}

function abortedError(): ActionLensError {
  return new ActionLensError('AL_ERR_ABORTED', 'The URL download was cancelled; nothing was kept.');
}

function outputError(destPath: string, e: unknown): ActionLensError {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  return new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write the downloaded video to ${destPath}: ${code}.`, {
    hint: 'Check that the server work folder exists, is writable and has free space.',
    cause: e,
  });
}

/** Socket, DNS and TLS errors, in words a user can act on. */
function networkError(e: unknown, target: CheckedUrl | undefined): ActionLensError {
  const host = target ? target.url.host : 'the server';
  const code = (e as NodeJS.ErrnoException)?.code;
  const what =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `the host ${target?.host ?? ''} was not found (DNS)`
      : code === 'ECONNREFUSED'
        ? `${host} refused the connection`
        : code === 'ECONNRESET' || (e as Error)?.message === 'aborted'
          ? `${host} closed the connection before the download finished`
          : `${host} could not be reached (${code ?? (e as Error)?.message ?? String(e)})`;
  return new ActionLensError('AL_ERR_URL_FETCH_FAILED', `The video URL could not be downloaded: ${what}.`, { hint: FETCH_HINT, cause: e });
}

const SAFE_NAME_MAX = 100;

/**
 * A file name safe to use on disk and in a download header: from Content-Disposition (filename*
 * then filename) or else the URL path's last segment; only [A-Za-z0-9._-], no leading dots or
 * dashes, at most 100 characters (the extension kept), "video" when nothing usable is left.
 */
export function suggestFileName(contentDisposition: string | undefined, url: URL): string {
  const fromHeader = contentDisposition ? dispositionName(contentDisposition) : undefined;
  const fromHeaderSafe = fromHeader === undefined ? '' : sanitizeName(fromHeader);
  if (fromHeaderSafe) return fromHeaderSafe;
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  return sanitizeName(decodeSafely(segment)) || 'video';
}

function dispositionName(header: string): string | undefined {
  // RFC 6266 / 5987: filename*=charset'lang'percent-encoded is preferred over filename=.
  const star = /(?:^|;)\s*filename\*\s*=\s*([^';]*)'[^']*'([^;]*)/i.exec(header);
  if (star) return decodeSafely(star[2]!.trim());
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
  if (plain) return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!.trim();
  return undefined;
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function sanitizeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let s = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents dropped: "é" -> "e"
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/[._]+$/, '');
  if (s.length > SAFE_NAME_MAX) {
    const ext = /\.[A-Za-z0-9]{1,10}$/.exec(s)?.[0] ?? '';
    s = s.slice(0, SAFE_NAME_MAX - ext.length).replace(/[._]+$/, '') + ext;
  }
  return s;
}
