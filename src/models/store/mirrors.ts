// Mirrors are local folders (a site's shared drive, a USB stick, ../shared/models) holding
// artifacts under their file names. A file is used only if its sha256 matches the spec.
import { rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { copyToTemp } from '../../io/atomic-write.js';
import { describeExpected, matchesExpected, sha256File, type ExpectedSha256 } from './hash.js';

export interface MirrorCopy {
  mirrorPath: string;
  sha256: string;
}

export interface MirrorLookup {
  copy?: MirrorCopy;
  /** Mirror files found under the right name but with the wrong sha256, for the error a user sees. */
  rejected: { mirrorPath: string; sha256: string }[];
}

/**
 * Looks for `fileName` in each mirror folder in order and copies the first one whose sha256 matches
 * to `destination` (via a temp file, so `destination` only ever holds a verified file).
 * Mirror files with the wrong sha256 are skipped with a warning.
 */
export async function copyFromMirrors(
  mirrors: readonly string[],
  fileName: string,
  expected: ExpectedSha256,
  destination: string,
  logger: Logger,
  signal?: AbortSignal,
): Promise<MirrorLookup> {
  const rejected: MirrorLookup['rejected'] = [];
  for (const mirror of mirrors) {
    const candidate = path.join(mirror, fileName);
    const isFile = await stat(candidate).then((s) => s.isFile(), () => false);
    if (!isFile) {
      logger.debug({ mirror, fileName }, 'not in this mirror');
      continue;
    }
    // Hash the copy, not the original: what we verify is exactly what we keep.
    const tmp = await copyToTemp(candidate, destination);
    try {
      const sha256 = await sha256File(tmp, signal);
      if (!matchesExpected(sha256, expected)) {
        logger.warn(
          { mirrorPath: candidate, expected: describeExpected(expected), actual: sha256 },
          'mirror file has the wrong sha256; skipping it',
        );
        rejected.push({ mirrorPath: candidate, sha256 });
        continue;
      }
      await rename(tmp, destination);
      logger.info({ mirrorPath: candidate }, 'artifact copied from mirror');
      return { copy: { mirrorPath: candidate, sha256 }, rejected };
    } finally {
      await rm(tmp, { force: true });
    }
  }
  return { rejected };
}
