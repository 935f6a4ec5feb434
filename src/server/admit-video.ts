// Is this file a video we accept? Judged by probing the content (the name and extension say
// nothing), then the configured duration limit. Still images and audio are refused.
import { ActionLensError, isActionLensError } from '../core/errors.js';
import type { VideoInfo } from '../core/video-types.js';
import { probeVideo, type FfmpegTools } from '../video/index.js';

/** Containers ffprobe reports for single pictures (a .png renamed .mp4 is still a picture). */
const IMAGE_CONTAINER = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/;

export async function admitVideo(
  file: string,
  displayName: string,
  opts: { tools: FfmpegTools; maxDurationSec: number; signal?: AbortSignal },
): Promise<VideoInfo> {
  let info: VideoInfo;
  try {
    info = await probeVideo(file, { tools: opts.tools, signal: opts.signal });
  } catch (err) {
    if (isActionLensError(err) && (err.code === 'AL_ERR_ABORTED' || err.code === 'AL_ERR_FFMPEG_NOT_FOUND')) throw err;
    throw new ActionLensError('AL_ERR_NOT_A_VIDEO', `'${displayName}' is not a video ffmpeg can read${isActionLensError(err) ? ` (${err.message})` : ''}.`, {
      hint: 'Give a video file (mp4, mov, mkv, webm, avi, gif...); the content is checked, not the extension.',
      cause: err,
    });
  }
  if (IMAGE_CONTAINER.test(info.container) || info.frameCount <= 1) {
    throw new ActionLensError('AL_ERR_NOT_A_VIDEO', `'${displayName}' is a still image (${info.codec}), not a video.`, {
      hint: 'Actions need motion: give a video file.',
    });
  }
  if (info.durationSec > opts.maxDurationSec) {
    throw new ActionLensError(
      'AL_ERR_VIDEO_TOO_LONG',
      `'${displayName}' lasts ${Math.round(info.durationSec)} s; the limit is ${opts.maxDurationSec} s.`,
      { hint: 'Cut the video into parts, or raise server.max_duration_sec.' },
    );
  }
  return info;
}

/** A user-given file name for display and downloads: refused when it tries to be a path. */
export function checkUploadName(name: string | undefined): string {
  const n = (name ?? '').trim();
  if (!n) return 'video';
  if (/[/\\]/.test(n) || n === '.' || n === '..' || /[\u0000-\u001f\u007f]/.test(n) || n.length > 255) {
    throw new ActionLensError('AL_ERR_BAD_REQUEST', `The file name ${JSON.stringify(n.slice(0, 80))} is not a plain file name (folders, '..' or control characters).`, {
      hint: 'Upload the file under a plain name such as clip.mp4.',
    });
  }
  return n;
}
