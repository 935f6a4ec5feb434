// Downloads one URL into a `.part` file: follows redirects (bounded), reports progress, resumes a
// dropped transfer with an HTTP Range request (restarting if the server ignores Range), retries
// with exponential backoff, times out stalled connections, and stops on an AbortSignal.
// It never verifies or renames: ensure-artifact.ts does that once the bytes are complete.
import { open, rm, stat } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionLensError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { cacheUnwritable } from './cache-dir.js';
import { isOfflineError, TransferError } from './network-errors.js';

/** Called as bytes arrive; `received` counts resumed bytes too, `total` is undefined when unknown. */
export type ProgressCallback = (received: number, total: number | undefined) => void;

export interface DownloadOptions {
  url: string;
  partPath: string;
  logger: Logger;
  onProgress?: ProgressCallback;
  /** Used as the progress total when the server does not say. */
  expectedSize?: number;
  signal?: AbortSignal;
  /** Extra attempts after the first one fails with a retryable error. */
  retries: number;
  /** First backoff delay; doubles on every retry. */
  retryDelayMs: number;
  /** A connection that sends nothing for this long is dropped (and retried). */
  timeoutMs: number;
  maxRedirects: number;
}

export interface DownloadResult {
  finalUrl: string;
  sizeBytes: number;
  /** Transfers continued with a Range request (206). */
  resumes: number;
  /** Transfers that had to start over because the server ignored Range. */
  restarts: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function downloadToPart(options: DownloadOptions): Promise<DownloadResult> {
  const { logger, signal } = options;
  const state = { resumes: 0, restarts: 0, bytesThisCall: 0, validator: undefined as string | undefined };
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw aborted();
    const offset = await fileSize(options.partPath);
    try {
      const result = await attemptOnce(options, offset, state);
      return { ...result, resumes: state.resumes, restarts: state.restarts };
    } catch (error) {
      if (signal?.aborted) throw aborted(error);
      if (error instanceof ActionLensError) throw error;
      // Unreachable before any byte arrived: no point retrying, the caller reports "offline".
      if (isOfflineError(error) && state.bytesThisCall === 0 && offset === 0) throw error;
      const retryable = error instanceof TransferError ? error.retryable : true;
      if (!retryable || attempt >= options.retries) throw error;
      const delay = options.retryDelayMs * 2 ** attempt;
      logger.warn({ url: options.url, attempt: attempt + 1, delayMs: delay, err: String(error) }, 'download interrupted; retrying');
      await sleep(delay, undefined, { signal }).catch((e: unknown) => {
        throw aborted(e);
      });
    }
  }
}

type AttemptState = { resumes: number; restarts: number; bytesThisCall: number; validator: string | undefined };

async function attemptOnce(options: DownloadOptions, offset: number, state: AttemptState): Promise<Omit<DownloadResult, 'resumes' | 'restarts'>> {
  let url = new URL(options.url);
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'actionlens' };
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      // If the file changed on the server since the first attempt, get all of it, not a mixed file.
      if (state.validator) headers['if-range'] = state.validator;
    }
    const res = await request(url, headers, options);
    const status = res.statusCode ?? 0;
    if (REDIRECT_STATUSES.has(status)) {
      res.resume();
      const location = res.headers.location;
      if (!location) throw new TransferError(`HTTP ${status} redirect without a Location header from ${url.href}`, false, status);
      if (hop >= options.maxRedirects) throw new TransferError(`more than ${options.maxRedirects} redirects starting at ${options.url}`, false, status);
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TransferError(`redirect to unsupported protocol '${url.protocol}' (${url.href})`, false, status);
      }
      continue;
    }
    return receiveBody(res, url, offset, options, state);
  }
}

async function receiveBody(
  res: http.IncomingMessage,
  url: URL,
  offset: number,
  options: DownloadOptions,
  state: AttemptState,
): Promise<Omit<DownloadResult, 'resumes' | 'restarts'>> {
  const status = res.statusCode ?? 0;
  let start = 0;
  let total: number | undefined;
  if (status === 206 && offset > 0) {
    const range = parseContentRange(res.headers['content-range']);
    if (!range || range.start !== offset) {
      res.resume();
      await rm(options.partPath, { force: true });
      throw new TransferError(`server answered Range bytes=${offset}- with '${res.headers['content-range']}'; starting over`, true, status);
    }
    start = offset;
    total = range.total;
    state.resumes++;
    options.logger.info({ url: url.href, offset }, 'resuming download');
  } else if (status === 200) {
    if (offset > 0) {
      state.restarts++;
      options.logger.info({ url: url.href, offset }, 'server ignored the Range request; downloading from the start');
    }
    const length = Number(res.headers['content-length']);
    total = Number.isFinite(length) && res.headers['content-length'] !== undefined ? length : undefined;
  } else if (status === 416) {
    res.resume();
    await rm(options.partPath, { force: true }); // the partial file does not fit the remote one
    throw new TransferError(`HTTP 416 for Range bytes=${offset}- at ${url.href}; starting over`, true, status);
  } else {
    res.resume();
    const retryable = status === 408 || status === 429 || status >= 500;
    throw new TransferError(`HTTP ${status} ${res.statusMessage ?? ''} from ${url.href}`.trim(), retryable, status);
  }
  const etag = res.headers.etag;
  state.validator = etag && !etag.startsWith('W/') ? etag : (res.headers['last-modified'] ?? state.validator);

  const progressTotal = total ?? options.expectedSize;
  let received = start;
  const file = await open(options.partPath, start > 0 ? 'a' : 'w').catch((e: unknown) => {
    res.destroy();
    throw cacheUnwritable(options.partPath, e);
  });
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      await file.write(chunk);
      received += chunk.length;
      state.bytesThisCall += chunk.length;
      options.onProgress?.(received, progressTotal);
    }
  } catch (error) {
    throw new TransferError(`connection lost after ${received} bytes of ${url.href}`, true, status, { cause: error });
  } finally {
    await file.close();
  }
  if (total !== undefined && received !== total) {
    throw new TransferError(`connection closed after ${received} of ${total} bytes from ${url.href}`, true, status);
  }
  return { finalUrl: url.href, sizeBytes: received };
}

function request(url: URL, headers: Record<string, string>, options: DownloadOptions): Promise<http.IncomingMessage> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.get(url, { headers, signal: options.signal, timeout: options.timeoutMs });
    // The timeout fires on an idle socket: while connecting and while the body stalls.
    req.on('timeout', () => req.destroy(new TransferError(`no data from ${url.host} for ${options.timeoutMs} ms`, true)));
    req.on('response', resolve);
    req.on('error', reject);
  });
}

/** `bytes 100-199/1000` -> {start: 100, total: 1000}; the total may be `*` (unknown). */
export function parseContentRange(header: string | undefined): { start: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!m) return undefined;
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

async function fileSize(filePath: string): Promise<number> {
  try {
    return (await stat(filePath)).size;
  } catch {
    return 0;
  }
}

function aborted(cause?: unknown): ActionLensError {
  return new ActionLensError('AL_ERR_ABORTED', 'Download cancelled.', { hint: 'The partial file is kept; the next run resumes it.', cause });
}
