// probeVideo: what ffprobe knows about a video before anything is decoded.
import { execFile } from 'node:child_process';
import { ActionLensError } from '../core/errors.js';
import type { VideoInfo } from '../core/video-types.js';
import { parseFfmpegLog, summariseLogLines } from './ffmpeg-log.js';
import { locateFfmpeg, type FfmpegTools } from './ffmpeg-locate.js';
import { ffprobeOutputSchema, type FfprobeOutput, type FfprobeStream } from './ffprobe-schema.js';
import { isVariableFrameRate, parseRational } from './frame-rate.js';
import { checkInputFile } from './input-file.js';
import { displaySize, streamRotation } from './rotation.js';

export interface ProbeOptions {
  /** Where ffprobe is; located with locateFfmpeg() when omitted. */
  tools?: Pick<FfmpegTools, 'ffprobe'>;
  /** Count packets to get an exact frame count where the container has none (reads the whole file). */
  exactFrameCount?: boolean;
  signal?: AbortSignal;
  /** Kill ffprobe after this long (default 60 s; a network input can stall). */
  timeoutMs?: number;
}

function runFfprobe(ffprobe: string, args: string[], options: ProbeOptions): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobe,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 60_000, signal: options.signal, windowsHide: true },
      (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve({ stdout, stderr })),
    );
  });
}

/** The stream ffmpeg's `-map 0:V:0` picks: the first video stream that is not cover art. */
export function selectVideoStream(streams: readonly FfprobeStream[]): FfprobeStream | undefined {
  return streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Pure mapping from ffprobe's JSON to VideoInfo (exported for tests). */
export function videoInfoFromProbe(probe: FfprobeOutput, input: string, sizeBytes: number): VideoInfo {
  const stream = selectVideoStream(probe.streams);
  if (!stream) {
    const found = probe.streams.map((s) => `${s.codec_type ?? 'unknown'} (${s.codec_name ?? '?'})`).join(', ') || 'none';
    throw new ActionLensError('AL_ERR_VIDEO_NO_STREAM', `'${input}' has no video stream (streams found: ${found}).`, {
      hint: 'Pass a file with a video track; audio-only files and images without frames cannot be recognised.',
    });
  }
  if (!stream.width || !stream.height) {
    throw new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `'${input}': ffprobe reports no frame size for the video stream.`, {
      hint: 'The file is probably truncated or corrupt; re-encode or re-download it.',
    });
  }
  const rFps = parseRational(stream.r_frame_rate);
  const avgFps = parseRational(stream.avg_frame_rate);
  const fps = avgFps ?? rFps ?? 0;
  const durationSec = positiveNumber(probe.format?.duration) ?? positiveNumber(stream.duration) ?? 0;
  const counted = positiveNumber(stream.nb_frames) ?? positiveNumber(stream.nb_read_packets);
  const rotation = streamRotation(stream);
  const size = displaySize(stream.width, stream.height, rotation);
  return {
    durationSec,
    fps,
    frameCount: counted ?? Math.round(durationSec * fps),
    frameCountEstimated: counted === undefined,
    width: size.width,
    height: size.height,
    rotation,
    codec: stream.codec_name ?? 'unknown',
    container: probe.format?.format_name ?? 'unknown',
    hasAudio: probe.streams.some((s) => s.codec_type === 'audio'),
    variableFrameRate: isVariableFrameRate(rFps, avgFps),
    sizeBytes: sizeBytes || (positiveNumber(probe.format?.size) ?? 0),
  };
}

/** Probes a video file (or URL) with ffprobe. Throws ActionLensError with a specific code for each kind of bad input. */
export async function probeVideo(input: string, options: ProbeOptions = {}): Promise<VideoInfo> {
  const checked = checkInputFile(input);
  const ffprobe = options.tools?.ffprobe ?? locateFfmpeg().ffprobe;
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'];
  if (options.exactFrameCount) args.push('-count_packets');
  args.push('-i', checked.input);

  let stdout: string;
  try {
    ({ stdout } = await runFfprobe(ffprobe, args, options));
  } catch (err) {
    if (options.signal?.aborted) throw new ActionLensError('AL_ERR_ABORTED', `Probing '${input}' was cancelled.`, { cause: err });
    const failure = err as Error & { stderr?: string; killed?: boolean; code?: unknown };
    if (failure.code === 'ENOENT') {
      throw new ActionLensError('AL_ERR_FFMPEG_NOT_FOUND', `ffprobe '${ffprobe}' could not be started.`, { cause: err });
    }
    const summary = summariseLogLines(parseFfmpegLog(failure.stderr ?? '')) || failure.message;
    const why = failure.killed ? `ffprobe timed out after ${options.timeoutMs ?? 60_000} ms` : `ffprobe says: ${summary}`;
    throw new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `'${input}' is not a readable video (${why}).`, {
      hint: 'The file may be truncated, corrupt or not a video at all; check that it plays, or re-encode it with ffmpeg.',
      cause: err,
    });
  }

  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (err) {
    throw new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `ffprobe printed output that is not JSON for '${input}'.`, { cause: err });
  }
  const parsed = ffprobeOutputSchema.safeParse(json);
  if (!parsed.success) {
    throw new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `ffprobe's output for '${input}' has an unexpected shape: ${parsed.error.message}`, {
      hint: 'Use ffprobe 4.4 or newer.',
    });
  }
  return videoInfoFromProbe(parsed.data, input, checked.sizeBytes);
}
