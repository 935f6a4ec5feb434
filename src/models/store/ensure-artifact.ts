// ensureArtifact: the model's source file, verified, from the first place that has it:
// the cache, then the mirror folders, then the official URLs.
import { rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ActionLensError, throwIfAborted } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { ModelSpec } from '../spec.js';
import { artifactPath, cacheUnwritable, ensureWritableDir, resolveCacheDir } from './cache-dir.js';
import { describeExpected, matchesExpected, sha256File } from './hash.js';
import { downloadToPart, type ProgressCallback } from './http-download.js';
import { copyFromMirrors } from './mirrors.js';
import { errnoCode, isOfflineError, TransferError } from './network-errors.js';
import { checkCachedFile, removeWithSidecar, writeSidecar } from './sidecar.js';

export interface StoreOptions {
  /** Cache folder (config `cacheDir`); default: see resolveCacheDir. */
  cacheDir?: string;
  logger?: Logger;
}

export interface EnsureArtifactOptions extends StoreOptions {
  /** Local folders holding artifacts by file name, tried before the network. */
  mirrors?: readonly string[];
  /** Never use the network (config `offline: true`). */
  offline?: boolean;
  /** Re-hash the cached file even when its size and mtime are unchanged. */
  fullVerify?: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Retries per URL after a retryable failure (dropped connection, 5xx, timeout). Default 3. */
  retries?: number;
  /** First retry delay in ms, doubled each retry. Default 1000. */
  retryDelayMs?: number;
  /** Idle timeout per connection in ms. Default 30000. */
  timeoutMs?: number;
  /** Default 10. */
  maxRedirects?: number;
}

export interface EnsuredArtifact {
  path: string;
  /** The full sha256 of the file (also for specs that only pin a prefix). */
  sha256: string;
  source: 'cache' | 'mirror' | 'download';
}

export async function ensureArtifact(spec: ModelSpec, options: EnsureArtifactOptions = {}): Promise<EnsuredArtifact> {
  const logger = options.logger ?? silentLogger;
  const source = spec.source;
  const finalPath = artifactPath(resolveCacheDir({ cacheDir: options.cacheDir }), source);
  throwIfAborted(options.signal);

  const cached = await checkCachedFile(finalPath, { expected: source, fullVerify: options.fullVerify, signal: options.signal });
  if (cached.state === 'valid') return { path: finalPath, sha256: cached.sha256, source: 'cache' };
  if (cached.state === 'corrupt') {
    logger.warn({ path: finalPath, reason: cached.reason, expected: describeExpected(source) }, 'cached artifact is corrupt; fetching it again');
    await removeWithSidecar(finalPath).catch((e: unknown) => {
      throw cacheUnwritable(finalPath, e);
    });
  }
  await ensureWritableDir(path.dirname(finalPath));

  const mirrors = await copyFromMirrors(options.mirrors ?? [], source.file_name, source, finalPath, logger, options.signal);
  if (mirrors.copy) {
    await writeSidecar(finalPath, mirrors.copy.sha256, { from: mirrors.copy.mirrorPath });
    return { path: finalPath, sha256: mirrors.copy.sha256, source: 'mirror' };
  }
  // Said in the error too, not only in a log line: it is usually why the file is "missing".
  const rejectedNote = mirrors.rejected
    .map((r) => ` Mirror file ${r.mirrorPath} was rejected: its sha256 is ${r.sha256}, expected ${describeExpected(source)}.`)
    .join('');

  if (options.offline) throw offlineError(spec, 'offline mode is on (offline: true in the config)', undefined, rejectedNote);
  if (source.urls.length === 0) {
    throw new ActionLensError('AL_ERR_DOWNLOAD_FAILED', `Model '${spec.id}' has no download URL and ${source.file_name} is in no mirror folder.`, {
      hint: `Put ${source.file_name} (sha256 ${describeExpected(source)}) in a folder listed in the 'mirrors' config.`,
    });
  }
  return { path: finalPath, ...(await downloadFromUrls(spec, finalPath, options, logger, rejectedNote)), source: 'download' };
}

async function downloadFromUrls(
  spec: ModelSpec,
  finalPath: string,
  options: EnsureArtifactOptions,
  logger: Logger,
  rejectedNote: string,
): Promise<{ sha256: string }> {
  const failures: unknown[] = [];
  for (const url of spec.source.urls) {
    try {
      return await downloadVerified(spec, url, finalPath, options, logger);
    } catch (error) {
      if (error instanceof ActionLensError && (error.code === 'AL_ERR_ABORTED' || error.code === 'AL_ERR_CACHE_UNWRITABLE')) throw error;
      logger.warn({ url, err: String(error) }, 'download from this URL failed');
      failures.push(error);
    }
  }
  if (failures.every(isOfflineError)) {
    const first = failures[0] as NodeJS.ErrnoException;
    throw offlineError(spec, `the network is unreachable (${errnoCode(first)}: ${first.message})`, first, rejectedNote);
  }
  const last = failures.filter((e) => !isOfflineError(e)).pop();
  if (last instanceof ActionLensError) throw last;
  const status = last instanceof TransferError && last.status ? ` (HTTP ${last.status})` : '';
  throw new ActionLensError('AL_ERR_DOWNLOAD_FAILED', `Could not download ${spec.source.file_name} for model '${spec.id}'${status}: ${String(last)}`, {
    hint: `Try again later, or download ${spec.source.urls[0]} by hand and put it in a mirror folder as ${spec.source.file_name}.`,
    cause: last,
  });
}

/** Downloads to `<final>.part`, checks the sha256, then renames: the final name only ever holds a verified file. */
async function downloadVerified(
  spec: ModelSpec,
  url: string,
  finalPath: string,
  options: EnsureArtifactOptions,
  logger: Logger,
  allowFreshRetry = true,
): Promise<{ sha256: string }> {
  const partPath = `${finalPath}.part`;
  // A .part left by an earlier run is resumed; if the result is wrong, that leftover is the suspect.
  const resumedLeftover = allowFreshRetry && (await stat(partPath).then((s) => s.size > 0, () => false));
  const result = await downloadToPart({
    url,
    partPath,
    logger,
    onProgress: options.onProgress,
    expectedSize: spec.source.size_bytes,
    signal: options.signal,
    retries: options.retries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 1000,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRedirects: options.maxRedirects ?? 10,
  });
  const sha256 = await sha256File(partPath, options.signal);
  if (!matchesExpected(sha256, spec.source)) {
    await rm(partPath, { force: true });
    if (resumedLeftover) {
      logger.warn({ partPath }, 'resumed leftover .part did not verify; downloading from the start');
      return downloadVerified(spec, url, finalPath, options, logger, false);
    }
    throw new ActionLensError(
      'AL_ERR_SHA256_MISMATCH',
      `Downloaded ${spec.source.file_name} from ${result.finalUrl} has sha256 ${sha256}, expected ${describeExpected(spec.source)}. The file was removed.`,
      { hint: 'The server sent a different file (or it was damaged in transit). Try again; if it persists, the URL or the sha256 in the model spec is out of date.' },
    );
  }
  await rename(partPath, finalPath);
  await writeSidecar(finalPath, sha256, { url: result.finalUrl });
  logger.info({ path: finalPath, bytes: result.sizeBytes, resumes: result.resumes, restarts: result.restarts }, 'artifact downloaded');
  return { sha256 };
}

function offlineError(spec: ModelSpec, why: string, cause?: unknown, rejectedNote = ''): ActionLensError {
  const { file_name, urls } = spec.source;
  const where = urls.length > 0 ? `from ${urls[0]}` : 'from the model publisher';
  return new ActionLensError('AL_ERR_OFFLINE', `Model '${spec.id}' needs ${file_name}, which is not cached, and ${why}.${rejectedNote}`, {
    hint:
      `Download it by hand ${where}, save it as ${file_name} (sha256 ${describeExpected(spec.source)}) ` +
      `in a folder listed in the 'mirrors' config, or connect to the network and try again.`,
    cause,
  });
}
