// Uploads that arrived but are not yet claimed by a job. An upload is claimed once (its folder
// moves to the job); one never claimed is removed after server.retain_sec.
import { ActionLensError } from '../core/errors.js';
import type { VideoInfo } from '../core/video-types.js';
import type { TempArea } from './temp-area.js';

export interface PendingUpload {
  id: string;
  dir: string;
  path: string;
  name: string;
  info: VideoInfo;
}

export interface UploadStore {
  add(upload: PendingUpload): void;
  /** Hands the upload (and its folder) to the caller; it is no longer pending. */
  claim(id: string): PendingUpload;
  close(): Promise<void>;
}

export function createUploadStore(temp: TempArea, retainSec: number): UploadStore {
  const pending = new Map<string, { upload: PendingUpload; timer: NodeJS.Timeout }>();
  return {
    add(upload) {
      const timer = setTimeout(() => {
        pending.delete(upload.id);
        void temp.remove(upload.dir);
      }, retainSec * 1000);
      timer.unref();
      pending.set(upload.id, { upload, timer });
    },
    claim(id) {
      const entry = pending.get(id);
      if (!entry) {
        throw new ActionLensError('AL_ERR_BAD_REQUEST', `No upload '${id}': it was already used by a job, or it expired.`, {
          hint: 'Upload the file again.',
        });
      }
      clearTimeout(entry.timer);
      pending.delete(id);
      return entry.upload;
    },
    async close() {
      for (const { upload, timer } of pending.values()) {
        clearTimeout(timer);
        await temp.remove(upload.dir);
      }
      pending.clear();
    },
  };
}
