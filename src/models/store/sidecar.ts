// A small JSON beside each cached file records its sha256 with the size and mtime it had when
// hashed. While size and mtime are unchanged the file is trusted without re-hashing (hashing a
// 300 MB checkpoint takes 0.2-1 s); any write changes the mtime, so a changed file is re-hashed.
// mtime is compared to within 1 ms: copies and some file systems drop the sub-ms part.
import { readFile, rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { matchesExpected, sha256File, type ExpectedSha256 } from './hash.js';

const sidecarSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size_bytes: z.number().int().nonnegative(),
  mtime_ms: z.number(),
  /** Free-form facts about how the file was made (source URL, converter version, ...). */
  info: z.record(z.string(), z.string()).optional(),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

export function sidecarPathFor(filePath: string): string {
  return `${filePath}.meta.json`;
}

export async function readSidecar(filePath: string): Promise<Sidecar | undefined> {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await readFile(sidecarPathFor(filePath), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // missing or unreadable: the file will be re-hashed or rebuilt
  }
}

/** Records the sha256 of `filePath` as it is now on disk. */
export async function writeSidecar(filePath: string, sha256: string, info?: Record<string, string>): Promise<void> {
  const st = await stat(filePath);
  const sidecar: Sidecar = { sha256, size_bytes: st.size, mtime_ms: st.mtimeMs, ...(info ? { info } : {}) };
  await writeFileAtomic(sidecarPathFor(filePath), `${JSON.stringify(sidecar, null, 2)}\n`);
}

export async function removeWithSidecar(filePath: string): Promise<void> {
  await rm(filePath, { force: true });
  await rm(sidecarPathFor(filePath), { force: true });
}

export type CachedFileState =
  | { state: 'valid'; sha256: string; sizeBytes: number; rehashed: boolean }
  | { state: 'missing' }
  | { state: 'corrupt'; actualSha256: string | undefined; reason: string };

/**
 * Checks a cached file against `expected` (or, when absent, against the sha256 its own sidecar
 * recorded at write time). Cheap when size and mtime match the sidecar; `fullVerify` always re-hashes.
 */
export async function checkCachedFile(
  filePath: string,
  options: { expected?: ExpectedSha256; fullVerify?: boolean; signal?: AbortSignal } = {},
): Promise<CachedFileState> {
  let st;
  try {
    st = await stat(filePath);
  } catch {
    return { state: 'missing' };
  }
  if (!st.isFile()) return { state: 'corrupt', actualSha256: undefined, reason: 'not a regular file' };
  const sidecar = await readSidecar(filePath);
  const expected: ExpectedSha256 | undefined = options.expected ?? (sidecar ? { sha256: sidecar.sha256 } : undefined);
  if (!expected) return { state: 'corrupt', actualSha256: undefined, reason: 'no sidecar: the write did not finish' };

  const unchanged = sidecar !== undefined && sidecar.size_bytes === st.size && Math.abs(sidecar.mtime_ms - st.mtimeMs) < 1;
  if (unchanged && !options.fullVerify && matchesExpected(sidecar.sha256, expected)) {
    return { state: 'valid', sha256: sidecar.sha256, sizeBytes: st.size, rehashed: false };
  }
  const actual = await sha256File(filePath, options.signal);
  if (!matchesExpected(actual, expected)) {
    return { state: 'corrupt', actualSha256: actual, reason: `sha256 is ${actual}` };
  }
  // Same content, new mtime (e.g. copied or touched): refresh the sidecar so the next check is cheap.
  await writeSidecar(filePath, actual, sidecar?.info);
  return { state: 'valid', sha256: actual, sizeBytes: st.size, rehashed: true };
}
