// A file made from other cached files (a converted ONNX, its int8 copy), cached under a name that
// holds everything it depends on, with a sidecar: served from the cache when the sidecar says it
// is whole, otherwise made again and written atomically (file first, sidecar second: a crash in
// between leaves no sidecar, which reads as "make it again").
import { dirname } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { cacheUnwritable, ensureWritableDir } from './cache-dir.js';
import { sha256Bytes } from './hash.js';
import { checkCachedFile, removeWithSidecar, writeSidecar } from './sidecar.js';

export interface DerivedFile {
  path: string;
  sha256: string;
  /** False when it came from the cache. */
  made: boolean;
}

export interface MadeFile {
  /** The content, in chunks written one by one (never joined in memory). */
  chunks: readonly Uint8Array[];
  /** What the sidecar records about how it was made. */
  info: Record<string, string>;
}

/** `corruptWarning` is the log line for a corrupt cached copy, e.g. 'cached ONNX is corrupt or partial; converting again'. */
export async function ensureDerivedFile(target: string, corruptWarning: string, logger: Logger, make: () => Promise<MadeFile>): Promise<DerivedFile> {
  const cached = await checkCachedFile(target);
  if (cached.state === 'valid') return { path: target, sha256: cached.sha256, made: false };
  if (cached.state === 'corrupt') {
    logger.warn({ path: target, reason: cached.reason }, corruptWarning);
    await removeWithSidecar(target).catch((e: unknown) => {
      throw cacheUnwritable(target, e);
    });
  }
  await ensureWritableDir(dirname(target));
  const { chunks, info } = await make();
  const sha256 = sha256Bytes(chunks);
  try {
    await writeFileAtomic(target, chunks);
    await writeSidecar(target, sha256, info);
  } catch (e) {
    throw cacheUnwritable(target, e);
  }
  return { path: target, sha256, made: true };
}
