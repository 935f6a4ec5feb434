// The server's own scratch folder: uploads, URL downloads and rendered videos live here and
// nowhere else (never next to the user's files). Emptied at start-up, so a crash leaves nothing
// behind for long; each job or upload gets one sub-folder that is removed as a whole.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ActionLensError } from '../core/errors.js';

/** A marker inside the root: start-up wipes only a folder that carries it (never a user folder set by mistake). */
const MARKER = '.actionlens-temp-area';

export interface TempArea {
  readonly root: string;
  /** A new empty sub-folder with a random name. */
  create(kind: 'upload' | 'job' | 'render'): Promise<{ id: string; dir: string }>;
  /** Removes a sub-folder and everything in it; never throws. */
  remove(dir: string): Promise<void>;
  /** The sub-folders that exist now (for tests and diagnostics). */
  list(): Promise<string[]>;
}

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export async function openTempArea(configured: string | null): Promise<TempArea> {
  const root = path.resolve(configured ?? path.join(tmpdir(), 'actionlens-server'));
  try {
    await mkdir(root, { recursive: true });
    const entries = await readdir(root);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `server.temp_dir '${root}' is not empty and is not an actionlens temp area.`, {
        hint: 'Point server.temp_dir at an empty folder (or leave it null): its contents are deleted at every start.',
      });
    }
    // Start-up cleanup: whatever an earlier run left (a crash, a kill) goes now.
    await Promise.all(entries.filter((e) => e !== MARKER).map((e) => rm(path.join(root, e), { recursive: true, force: true })));
    await mkdir(path.join(root, MARKER), { recursive: true });
  } catch (err) {
    if (err instanceof ActionLensError) throw err;
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `The server's temp folder '${root}' cannot be prepared: ${(err as Error).message}`, {
      hint: 'Set server.temp_dir to a folder you can write to.',
      cause: err,
    });
  }
  return {
    root,
    async create(kind) {
      const id = newId();
      const dir = path.join(root, `${kind}-${id}`);
      await mkdir(dir);
      return { id, dir };
    },
    async remove(dir) {
      // Only ever inside the root: a bug elsewhere must not turn into deleting user files.
      const rel = path.relative(root, dir);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || rel === MARKER) return;
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
    async list() {
      return (await readdir(root)).filter((e) => e !== MARKER);
    },
  };
}
