// downloadUrl against real HTTP servers on loopback (node:http, port 0): the allowed server is
// exempted with allowedAddresses, everything else must be refused before a connection is made.
// Every failure must leave the destination folder empty.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { checkUrlPolicy, downloadUrl, suggestFileName, type DownloadUrlOptions } from '../../src/server/fetch-url.js';

const VIDEO = resolve(process.cwd(), '../shared/media/arm_wrestling.mp4');
const VIDEO_BYTES = readFileSync(VIDEO);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(host: string, handler: Handler): Promise<{ server: http.Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(0, host, () => ok());
  });
  return { server, port: (server.address() as AddressInfo).port, hits };
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
}

let main: Awaited<ReturnType<typeof listen>>;
let other: Awaited<ReturnType<typeof listen>>; // on 127.0.0.2, never allowed: must see no request
let base: string;
const stalled = new Set<ServerResponse>();

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const p = url.pathname;
  if (p === '/media/arm_wrestling.mp4') {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': VIDEO_BYTES.length });
    createReadStream(VIDEO, { highWaterMark: 64 * 1024 }).pipe(res);
  } else if (p === '/named') {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-disposition': `attachment; filename="../../.hidden clip (1).mp4"` });
    res.end(VIDEO_BYTES.subarray(0, 1000));
  } else if (p.startsWith('/chain/')) {
    // /chain/N redirects N more times, then serves the video
    const n = Number(p.slice('/chain/'.length));
    const statuses = [301, 302, 303, 307, 308];
    if (n === 0) return route(Object.assign(req, { url: '/media/arm_wrestling.mp4' }), res);
    res.writeHead(statuses[n % statuses.length]!, { location: `/chain/${n - 1}` });
    res.end();
  } else if (p === '/loop') {
    res.writeHead(302, { location: '/loop' });
    res.end();
  } else if (p === '/to-metadata') {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
    res.end();
  } else if (p === '/to-other') {
    res.writeHead(307, { location: `http://127.0.0.2:${other.port}/media/arm_wrestling.mp4` });
    res.end();
  } else if (p === '/to-file') {
    res.writeHead(302, { location: 'file:///etc/passwd' });
    res.end();
  } else if (p === '/big-length') {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 50_000 });
    res.end(Buffer.alloc(50_000));
  } else if (p === '/big-chunked') {
    // No Content-Length: only counting the streamed bytes can stop this.
    res.writeHead(200, { 'content-type': 'video/mp4' });
    let sent = 0;
    const push = (): void => {
      while (sent < 200_000) {
        sent += 4096;
        if (!res.write(Buffer.alloc(4096, 7))) return void res.once('drain', push);
      }
      res.end();
    };
    push();
  } else if (p === '/exact') {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    res.end(VIDEO_BYTES.subarray(0, 20_000));
  } else if (p === '/stall-body') {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 100_000 });
    res.write(Buffer.alloc(1000));
    stalled.add(res); // never ends
  } else if (p === '/stall-headers') {
    stalled.add(res); // never answers
  } else if (p === '/cut') {
    // Announces more than it sends, then drops the connection.
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 100_000 });
    res.write(Buffer.alloc(5000), () => res.socket?.destroy());
  } else if (p === '/slow') {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': VIDEO_BYTES.length });
    let at = 0;
    const tick = setInterval(() => {
      if (res.destroyed || at >= VIDEO_BYTES.length) {
        clearInterval(tick);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(VIDEO_BYTES.subarray(at, at + 8192));
      at += 8192;
    }, 20);
  } else if (p === '/missing.mp4') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no such file');
  } else {
    res.writeHead(500);
    res.end();
  }
}

beforeAll(async () => {
  main = await listen('127.0.0.1', route);
  other = await listen('127.0.0.2', route);
  base = `http://127.0.0.1:${main.port}`;
});

afterAll(async () => {
  for (const res of stalled) res.destroy();
  await close(main.server);
  await close(other.server);
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'al-url-fetch-'));
  main.hits.length = 0;
  other.hits.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function opts(extra: Partial<DownloadUrlOptions> = {}): DownloadUrlOptions {
  return { allowPrivate: false, allowedAddresses: ['127.0.0.1'], maxBytes: 10 * 1024 * 1024, timeoutMs: 20_000, maxRedirects: 5, ...extra };
}

async function failure(p: Promise<unknown>): Promise<ActionLensError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ActionLensError);
    return e as ActionLensError;
  }
  throw new Error('expected the download to fail');
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('downloadUrl: success', () => {
  it('downloads the video byte for byte, with progress and metadata', async () => {
    const progress: Array<[number, number | undefined]> = [];
    const dest = join(dir, 'in.mp4');
    const r = await downloadUrl(`${base}/media/arm_wrestling.mp4?x=1`, dest, opts({ onProgress: (n, t) => progress.push([n, t]) }));
    const got = await readFile(dest);
    expect(sha(got)).toBe(sha(VIDEO_BYTES));
    expect(r).toEqual({
      path: dest,
      bytes: VIDEO_BYTES.length,
      finalUrl: `${base}/media/arm_wrestling.mp4?x=1`,
      contentType: 'video/mp4',
      fileName: 'arm_wrestling.mp4',
    });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every(([, t]) => t === VIDEO_BYTES.length)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    expect(progress.at(-1)![0]).toBe(VIDEO_BYTES.length);
    expect(await readdir(dir)).toEqual(['in.mp4']);
  });

  it('allowPrivate: true also reaches the loopback server', async () => {
    const r = await downloadUrl(`${base}/media/arm_wrestling.mp4`, join(dir, 'v.mp4'), opts({ allowPrivate: true, allowedAddresses: [] }));
    expect(r.bytes).toBe(VIDEO_BYTES.length);
  });

  it('follows up to maxRedirects redirects (301, 302, 303, 307, 308) and reports the final URL', async () => {
    const r = await downloadUrl(`${base}/chain/5`, join(dir, 'v.mp4'), opts({ maxRedirects: 5 }));
    expect(r.finalUrl).toBe(`${base}/chain/0`);
    expect(sha(await readFile(join(dir, 'v.mp4')))).toBe(sha(VIDEO_BYTES));
    expect(main.hits).toEqual(['/chain/5', '/chain/4', '/chain/3', '/chain/2', '/chain/1', '/chain/0']);
  });

  it('accepts a body of exactly maxBytes without Content-Length', async () => {
    const r = await downloadUrl(`${base}/exact`, join(dir, 'v.mp4'), opts({ maxBytes: 20_000 }));
    expect(r.bytes).toBe(20_000);
  });

  it('takes a safe file name from Content-Disposition', async () => {
    const r = await downloadUrl(`${base}/named`, join(dir, 'v.mp4'), opts());
    expect(r.fileName).toBe('hidden_clip_1_.mp4');
  });

  it('replaces an existing destination file only when the download succeeds', async () => {
    const dest = join(dir, 'v.mp4');
    await writeFile(dest, 'old');
    await failure(downloadUrl(`${base}/missing.mp4`, dest, opts()));
    expect(await readFile(dest, 'utf8')).toBe('old');
    await downloadUrl(`${base}/exact`, dest, opts());
    expect((await readFile(dest)).length).toBe(20_000);
    expect(await readdir(dir)).toEqual(['v.mp4']);
  });
});

describe('downloadUrl: refused addresses', () => {
  it('refuses 127.0.0.1 when it is not allowed, without connecting', async () => {
    const e = await failure(downloadUrl(`${base}/media/arm_wrestling.mp4`, join(dir, 'v.mp4'), opts({ allowedAddresses: [] })));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain('127.0.0.1');
    expect(e.message).toContain('loopback');
    expect(e.hint).toContain('allow_private');
    expect(main.hits).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a host name that resolves to loopback (localhost), at connect time', async () => {
    const e = await failure(downloadUrl(`http://localhost:${main.port}/media/arm_wrestling.mp4`, join(dir, 'v.mp4'), opts({ allowedAddresses: [] })));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain('localhost');
    expect(e.message).toContain('loopback');
    expect(main.hits).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254', 'link-local (cloud metadata)'],
    ['http://[::1]/', '[::1]', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]', 'loopback'],
    ['http://2130706433/', '127.0.0.1', 'loopback'],
    ['http://0x7f.1/', '127.0.0.1', 'loopback'],
    ['http://[fd00:ec2::254]/latest/meta-data', '[fd00:ec2::254]', 'unique-local'],
  ])('refuses %s at policy, before any connection', async (url, shown, reason) => {
    // 169.254.169.254 would time out here (no route), so AL_ERR_URL_REFUSED shows no connect was tried.
    const e = await failure(downloadUrl(url, join(dir, 'v.mp4'), opts({ allowedAddresses: [], timeoutMs: 60_000 })));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain(shown);
    expect(e.message).toContain(reason);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['ftp://127.0.0.1/clip.mp4', 'ftp:'],
  ])('refuses %s naming the scheme', async (url, scheme) => {
    const e = await failure(downloadUrl(url, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain(scheme);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    const e = await failure(downloadUrl(`${base}/to-metadata`, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain('redirected to http://169.254.169.254');
    expect(e.message).toContain('link-local (cloud metadata)');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a redirect to another loopback address that is not in allowedAddresses', async () => {
    const e = await failure(downloadUrl(`${base}/to-other`, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain(`127.0.0.2`);
    expect(e.message).toContain('loopback');
    expect(other.hits).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a redirect to a file: URL', async () => {
    const e = await failure(downloadUrl(`${base}/to-file`, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain('"file:"');
  });
});

describe('downloadUrl: failures leave nothing behind', () => {
  it('a redirect loop ends with too many redirects', async () => {
    const e = await failure(downloadUrl(`${base}/loop`, join(dir, 'v.mp4'), opts({ maxRedirects: 3 })));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(e.message).toContain('Too many redirects');
    expect(e.message).toContain('3');
    expect(main.hits).toEqual(['/loop', '/loop', '/loop', '/loop']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('one redirect more than maxRedirects fails', async () => {
    const e = await failure(downloadUrl(`${base}/chain/5`, join(dir, 'v.mp4'), opts({ maxRedirects: 4 })));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(e.message).toContain('redirect');
  });

  it('refuses an announced Content-Length over the limit before writing anything', async () => {
    const e = await failure(downloadUrl(`${base}/big-length`, join(dir, 'v.mp4'), opts({ maxBytes: 10_000 })));
    expect(e.code).toBe('AL_ERR_UPLOAD_TOO_LARGE');
    expect(e.message).toContain('50000 bytes');
    expect(e.message).toContain('10000 bytes');
    expect(await readdir(dir)).toEqual([]);
  });

  it('cuts a chunked body off at maxBytes', async () => {
    let seen = 0;
    const e = await failure(downloadUrl(`${base}/big-chunked`, join(dir, 'v.mp4'), opts({ maxBytes: 50_000, onProgress: (n) => (seen = n) })));
    expect(e.code).toBe('AL_ERR_UPLOAD_TOO_LARGE');
    expect(e.message).toContain('50000 bytes');
    expect(seen).toBeLessThanOrEqual(50_000);
    expect(await readdir(dir)).toEqual([]);
  });

  it('the limit is given in MB when it is large', async () => {
    const e = await failure(downloadUrl(`${base}/media/arm_wrestling.mp4`, join(dir, 'v.mp4'), opts({ maxBytes: 0.5 * 1024 * 1024 })));
    expect(e.code).toBe('AL_ERR_UPLOAD_TOO_LARGE');
    expect(e.message).toContain('0.6 MB, more than the limit of 0.5 MB');
    expect(e.hint).toContain('max_mb');
  });

  it.each(['/stall-body', '/stall-headers'])('a stalled server (%s) times out', async (path) => {
    const e = await failure(downloadUrl(`${base}${path}`, join(dir, 'v.mp4'), opts({ timeoutMs: 300 })));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(e.message).toContain('timed out');
    expect(e.hint).toContain('timeout_sec');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a connection dropped mid-body fails', async () => {
    const e = await failure(downloadUrl(`${base}/cut`, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(await readdir(dir)).toEqual([]);
  });

  it('an HTTP error fails naming the status', async () => {
    const e = await failure(downloadUrl(`${base}/missing.mp4`, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(e.message).toContain('404');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a refused connection fails', async () => {
    const { server, port } = await listen('127.0.0.1', () => undefined);
    await close(server);
    const e = await failure(downloadUrl(`http://127.0.0.1:${port}/`, join(dir, 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(e.message).toContain('refused the connection');
  });

  it('aborting mid-download fails with AL_ERR_ABORTED', async () => {
    const ac = new AbortController();
    let seen = 0;
    const e = await failure(
      downloadUrl(`${base}/slow`, join(dir, 'v.mp4'), opts({
        signal: ac.signal,
        onProgress: (n) => {
          seen = n;
          if (n >= 16_384) ac.abort();
        },
      })),
    );
    expect(e.code).toBe('AL_ERR_ABORTED');
    expect(seen).toBeGreaterThanOrEqual(16_384);
    expect(seen).toBeLessThan(VIDEO_BYTES.length);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an already aborted signal fails before connecting', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await failure(downloadUrl(`${base}/media/arm_wrestling.mp4`, join(dir, 'v.mp4'), opts({ signal: ac.signal })));
    expect(e.code).toBe('AL_ERR_ABORTED');
    expect(main.hits).toEqual([]);
  });

  it('rejects invalid limits and host names in allowedAddresses', async () => {
    expect((await failure(downloadUrl(base, join(dir, 'v.mp4'), opts({ maxBytes: 0 })))).code).toBe('AL_ERR_INVALID_SETTINGS');
    expect((await failure(downloadUrl(base, join(dir, 'v.mp4'), opts({ maxRedirects: 1.5 })))).code).toBe('AL_ERR_INVALID_SETTINGS');
    expect((await failure(downloadUrl(base, join(dir, 'v.mp4'), opts({ allowedAddresses: ['localhost'] })))).code).toBe(
      'AL_ERR_INVALID_SETTINGS',
    );
  });

  it('a destination folder that does not exist is an output error', async () => {
    const e = await failure(downloadUrl(`${base}/exact`, join(dir, 'nope', 'v.mp4'), opts()));
    expect(e.code).toBe('AL_ERR_OUTPUT_UNWRITABLE');
  });
});

describe('checkUrlPolicy (the pre-check before a job is queued)', () => {
  it('refuses localhost by its resolved addresses', async () => {
    const e = await failure(checkUrlPolicy(`http://localhost:${main.port}/x.mp4`, { allowPrivate: false }));
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toContain('localhost');
    expect(e.message).toContain('loopback');
    expect(main.hits).toEqual([]);
  });

  it('refuses literal and scheme problems without DNS', async () => {
    expect((await failure(checkUrlPolicy('http://169.254.169.254/', { allowPrivate: false }))).message).toContain('cloud metadata');
    expect((await failure(checkUrlPolicy('gopher://example.com/', { allowPrivate: false }))).message).toContain('"gopher:"');
  });

  it('returns the normalised URL when allowed', async () => {
    const u = await checkUrlPolicy(`http://localhost:${main.port}/x.mp4`, { allowPrivate: true });
    expect(u.href).toBe(`http://localhost:${main.port}/x.mp4`);
    expect((await checkUrlPolicy('http://2130706433:8/', { allowPrivate: false, allowedAddresses: ['127.0.0.1'] })).href).toBe(
      'http://127.0.0.1:8/',
    );
  });

  it('an unknown host fails with a DNS message (the .invalid TLD never resolves)', async () => {
    const e = await failure(checkUrlPolicy('http://no-such-host.invalid/x.mp4', { allowPrivate: false }));
    expect(e.code).toBe('AL_ERR_URL_FETCH_FAILED');
    expect(e.message).toContain('not found');
  });
});

describe('suggestFileName', () => {
  const u = (s: string): URL => new URL(s);
  it.each([
    [undefined, 'https://e.com/videos/My%20Clip.MP4?x=1', 'My_Clip.MP4'],
    [undefined, 'https://e.com/', 'video'],
    [undefined, 'https://e.com/..%2F..%2Fetc%2Fpasswd', 'passwd'],
    [undefined, 'https://e.com/...', 'video'],
    [undefined, 'https://e.com/-rf.mp4', 'rf.mp4'],
    ['attachment; filename="caf\u00e9 night.mp4"', 'https://e.com/x', 'cafe_night.mp4'],
    ["attachment; filename*=UTF-8''%E2%9C%93%20done.webm; filename=\"fallback.webm\"", 'https://e.com/x', 'done.webm'],
    ['attachment; filename=plain.avi', 'https://e.com/x', 'plain.avi'],
    ['attachment; filename="..\\\\..\\\\win.mp4"', 'https://e.com/x', 'win.mp4'],
    ['inline', 'https://e.com/a/b/clip.mkv', 'clip.mkv'],
    ['attachment; filename="\u2603\u2603"', 'https://e.com/a/b/clip.mkv', 'clip.mkv'],
  ])('%j + %s -> %s', (cd, url, name) => {
    expect(suggestFileName(cd, u(url))).toBe(name);
  });

  it('keeps at most 100 characters and the extension', () => {
    const name = suggestFileName(`attachment; filename="${'a'.repeat(300)}.mp4"`, u('https://e.com/x'));
    expect(name).toHaveLength(100);
    expect(name.endsWith('.mp4')).toBe(true);
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
  });
});
