// Checks a local input before ffmpeg sees it, so a missing or empty file gets its own clear error
// instead of ffmpeg's generic one. URLs (http://, rtsp://, ...) are left to ffmpeg.
import { statSync } from 'node:fs';
import path from 'node:path';
import { ActionLensError } from '../core/errors.js';

export function isUrl(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
}

/**
 * Returns the absolute path (an absolute path cannot be mistaken for an ffmpeg protocol such as
 * `concat:`), or the URL unchanged, and its size in bytes (0 for URLs).
 */
export function checkInputFile(input: string): { input: string; sizeBytes: number } {
  if (isUrl(input)) return { input, sizeBytes: 0 };
  const absolute = path.resolve(input);
  let stats;
  try {
    stats = statSync(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ActionLensError('AL_ERR_INPUT_NOT_FOUND', `Input video '${input}' does not exist.`, {
        hint: `Check the path (resolved to ${absolute}).`,
      });
    }
    throw new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `Input video '${input}' cannot be read: ${(err as Error).message}`, {
      hint: 'Check the file permissions.',
      cause: err,
    });
  }
  if (!stats.isFile()) {
    throw new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `Input video '${input}' is not a regular file (it is a directory or device).`, {
      hint: 'Pass the path of a video file (.mp4 .mov .avi .mkv .webm .gif).',
    });
  }
  if (stats.size === 0) {
    throw new ActionLensError('AL_ERR_VIDEO_EMPTY', `Input video '${input}' is empty (0 bytes).`, {
      hint: 'The file was probably not fully written or downloaded; get a complete copy.',
    });
  }
  return { input: absolute, sizeBytes: stats.size };
}
