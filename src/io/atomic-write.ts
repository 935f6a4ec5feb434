// Files appear under their final name only when complete: write a temp file beside the target,
// fsync, then rename (atomic within one file system). A crash or a full disk never leaves a half
// file under the final name, and an existing file is left as it was when anything fails.
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ActionLensError } from '../core/errors.js';

export function tempPathFor(finalPath: string): string {
  const full = resolve(finalPath);
  return join(dirname(full), `.${basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Atomic write; throws the underlying fs error (callers map it to their own error code). */
/** `data` may be chunks (written in order, never joined: a model's weights are not copied again). */
export async function writeFileAtomic(finalPath: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  const tmp = tempPathFor(finalPath);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
      else for (const chunk of data) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const existing = await stat(finalPath).catch(() => null);
    if (existing?.isFile()) await chmod(tmp, existing.mode & 0o777); // keep the user's permissions
    await rename(tmp, finalPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Atomic write of a file the user asked for (exports, saved configs): AL_ERR_OUTPUT_UNWRITABLE on failure. */
export async function writeOutputFile(finalPath: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  try {
    await writeFileAtomic(finalPath, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${finalPath}: ${code}.`, {
      hint: 'Check that the folder exists, is writable, and that the path is not a folder.',
      cause: e,
    });
  }
}

/** Copies `source` to a temp file beside `finalPath` and returns the temp path (caller renames or removes). */
export async function copyToTemp(source: string, finalPath: string): Promise<string> {
  const tmp = tempPathFor(finalPath);
  try {
    await copyFile(source, tmp);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return tmp;
}
