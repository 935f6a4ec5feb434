// Browser-ready MP4s made with ffmpeg: the annotated export (the label overlay burnt in with
// libass) and a plain re-encode for sources a browser cannot play (AVI, GIF, MPEG-4 part 2, ...).
// Both write H.264 yuv420p with even dimensions and the index at the front (+faststart), so the
// file starts playing while it downloads; the file appears under its final name only when complete.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionLensError } from '../core/errors.js';
import { resultToAssOverlay } from '../core/result/ass-overlay.js';
import type { ResultDocument } from '../core/result/schema.js';
import type { VideoInfo } from '../core/video-types.js';
import { tempPathFor } from '../io/atomic-write.js';
import { createLineSplitter } from './ffmpeg-log.js';
import { locateFfmpeg } from './ffmpeg-locate.js';
import { checkInputFile } from './input-file.js';
import { probeVideo } from './probe.js';

export interface RenderAnnotatedOptions {
  input: string;
  /** Where the MP4 goes; written to a temp name beside it, then renamed. */
  output: string;
  document: ResultDocument;
  ffmpeg: string;
  /** Defaults to the ffprobe beside `ffmpeg`, else the one locateFfmpeg() finds. */
  ffprobe?: string;
  /** Labels in the overlay (default 3). */
  topk?: number;
  signal?: AbortSignal;
  /** 0..1, from ffmpeg's position against the video's duration; 1 once the file is in place. */
  onProgress?: (fraction: number) => void;
}

export interface TranscodeOptions {
  input: string;
  output: string;
  ffmpeg: string;
  ffprobe?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** What decides browser playback; VideoInfo has codec and container, the rest is optional. */
export interface PlayabilityInfo extends Pick<VideoInfo, 'codec' | 'container'> {
  /** ffprobe's pix_fmt of the video stream; H.264 must be 8-bit 4:2:0 for Chrome and Firefox. */
  pixelFormat?: string;
  /** ffprobe's codec_name of the first audio stream; null = no audio. */
  audioCodec?: string | null;
}

/** The stream details probeVideo does not report (yet). */
export interface StreamDetails {
  pixelFormat: string | undefined;
  audioCodec: string | null;
}

const MP4_FAMILY = /(^|,)(mov|mp4)(,|$)/;
const WEBM_FAMILY = /(^|,)webm(,|$)/;
const H264_BROWSER_PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p']);
const MP4_AUDIO = new Set(['aac', 'mp3', 'opus', 'flac']);
const WEBM_AUDIO = new Set(['opus', 'vorbis']);

/**
 * True when Chrome and Firefox both play the file as it is: H.264 (8-bit 4:2:0), VP9 or AV1 in
 * MP4/MOV, VP8/VP9/AV1 in WebM, with browser audio when there is audio. ffprobe names MKV and
 * WebM alike ("matroska,webm"), so the codec decides: only WebM's codecs pass, H.264 in MKV is
 * re-encoded. AVI, GIF, MPEG-TS, MPEG-4 part 2 and HEVC (no Firefox support) are not playable.
 */
export function isBrowserPlayable(info: PlayabilityInfo): boolean {
  const container = info.container.toLowerCase();
  const codec = info.codec.toLowerCase();
  let videoOk: boolean;
  let audioCodecs: Set<string>;
  if (MP4_FAMILY.test(container)) {
    videoOk = codec === 'h264' || codec === 'vp9' || codec === 'av1';
    audioCodecs = MP4_AUDIO;
  } else if (WEBM_FAMILY.test(container)) {
    videoOk = codec === 'vp8' || codec === 'vp9' || codec === 'av1';
    audioCodecs = WEBM_AUDIO;
  } else {
    return false;
  }
  if (!videoOk) return false;
  if (codec === 'h264' && info.pixelFormat !== undefined && !H264_BROWSER_PIXEL_FORMATS.has(info.pixelFormat)) return false;
  if (info.audioCodec && !audioCodecs.has(info.audioCodec.toLowerCase())) return false;
  return true;
}

/**
 * Escapes a value (a file path) for an ffmpeg filtergraph given as one argument: first for the
 * filter's option parser (\ ' : are special), then for the graph parser (\ ' [ ] , ; are special).
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** ffprobe from the same folder as `ffmpeg` (same build), else the usual lookup. */
function ffprobeFor(ffmpeg: string, explicit: string | undefined): string {
  if (explicit) return explicit;
  if (path.isAbsolute(ffmpeg) || ffmpeg.includes(path.sep)) {
    const candidate = path.join(path.dirname(ffmpeg), path.basename(ffmpeg).replace(/ffmpeg/i, 'ffprobe'));
    if (candidate !== ffmpeg) {
      try {
        accessSync(candidate, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
        return candidate;
      } catch {
        // not there: fall through
      }
    }
  }
  return locateFfmpeg().ffprobe;
}

/**
 * Pixel format of the first video stream and codec of the first audio stream. These belong in
 * VideoInfo (probe.ts); until they are there, a second, small ffprobe call reads them.
 */
export function probeStreamDetails(input: string, options: { ffprobe: string; signal?: AbortSignal }): Promise<StreamDetails> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_entries', 'stream=codec_type,codec_name,pix_fmt:stream_disposition=attached_pic', '-i', input];
  return new Promise((resolve, reject) => {
    execFile(options.ffprobe, args, { timeout: 60_000, signal: options.signal, maxBuffer: 8 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      if (err) {
        if (options.signal?.aborted) return reject(new ActionLensError('AL_ERR_ABORTED', `Probing '${input}' was cancelled.`, { cause: err }));
        return reject(new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `ffprobe could not read the streams of '${input}': ${err.message}`, { cause: err }));
      }
      try {
        const streams = (JSON.parse(stdout) as { streams?: { codec_type?: string; codec_name?: string; pix_fmt?: string; disposition?: { attached_pic?: number } }[] }).streams ?? [];
        const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
        const audio = streams.find((s) => s.codec_type === 'audio');
        resolve({ pixelFormat: video?.pix_fmt, audioCodec: audio ? (audio.codec_name ?? 'unknown') : null });
      } catch (e) {
        reject(new ActionLensError('AL_ERR_VIDEO_UNREADABLE', `ffprobe printed output that is not JSON for '${input}'.`, { cause: e }));
      }
    });
  });
}

/**
 * Renders the input with the result's labels burnt in (top-left panel: score bars, percentages,
 * labels; see resultToAssOverlay) to an H.264 MP4. Throws AL_ERR_RENDER_FAILED with ffmpeg's last
 * words, AL_ERR_ABORTED when `signal` fires (ffmpeg is killed), or the probe's own error for an
 * unreadable input; in every failure neither the output nor any temp file is left behind.
 */
export async function renderAnnotatedVideo(opts: RenderAnnotatedOptions): Promise<void> {
  await encodeForBrowser({
    ...opts,
    what: 'Rendering the annotated video',
    overlay: (width, height) => resultToAssOverlay(opts.document, { width, height, topk: opts.topk }),
  });
}

/** Re-encodes the input for the page's player (same settings as the annotated export, no overlay). */
export async function transcodeForBrowser(opts: TranscodeOptions): Promise<void> {
  await encodeForBrowser({ ...opts, what: 'Converting the video for the browser' });
}

interface EncodeJob extends TranscodeOptions {
  what: string;
  /** ASS script for a frame of this size; none = plain transcode. */
  overlay?: (width: number, height: number) => string;
}

const STDERR_KEPT_LINES = 100;
const STDERR_SHOWN_LINES = 6;

/**
 * The end of ffmpeg's stderr for an error message: a broken file repeats the same decoder error
 * hundreds of times, so lines equal but for numbers are shown once with a count, in the order of
 * their last appearance; the last lines (the reason ffmpeg gave up) are kept.
 */
export function stderrTail(lines: readonly string[], shown = STDERR_SHOWN_LINES): string {
  const groups = new Map<string, { text: string; count: number }>();
  for (const raw of lines) {
    const text = raw.replace(/^\[([^\]@]+?) @ 0x[0-9a-f]+\] ?/i, '$1: ').trim();
    if (text === '' || /^Last message repeated \d+ times?$/.test(text)) continue;
    const key = text.replace(/0x[0-9a-f]+|\d+/gi, '#');
    const group = groups.get(key) ?? { text, count: 0 };
    group.count++;
    group.text = text;
    groups.delete(key); // re-insert: Map order becomes order of last appearance
    groups.set(key, group);
  }
  return [...groups.values()]
    .slice(-shown)
    .map((g) => (g.count > 1 ? `${g.text} (x${g.count})` : g.text))
    .join(' | ');
}

function aborted(job: EncodeJob): ActionLensError {
  return new ActionLensError('AL_ERR_ABORTED', `${job.what} ('${job.input}') was cancelled.`);
}

async function encodeForBrowser(job: EncodeJob): Promise<void> {
  const { signal } = job;
  if (signal?.aborted) throw aborted(job);
  const input = checkInputFile(job.input).input;
  const ffprobe = ffprobeFor(job.ffmpeg, job.ffprobe);
  const info = await probeVideo(input, { tools: { ffprobe }, signal });
  const details = info.hasAudio ? await probeStreamDetails(input, { ffprobe, signal }) : { pixelFormat: undefined, audioCodec: null };

  // libx264 in 4:2:0 needs even sizes: drop an odd last column / row (a crop, so nothing is resampled).
  const width = info.width - (info.width % 2);
  const height = info.height - (info.height % 2);
  if (width < 2 || height < 2) {
    throw new ActionLensError('AL_ERR_RENDER_FAILED', `${job.what} failed: '${job.input}' is ${info.width}x${info.height}, too small to encode.`, {
      hint: 'Use a video at least 2x2 pixels.',
    });
  }

  const output = path.resolve(job.output);
  const folder = await stat(path.dirname(output)).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${output}: the folder ${path.dirname(output)} does not exist.`, {
      hint: 'Create the folder first, or choose another output path.',
    });
  }
  const tmpOutput = tempPathFor(output);
  const assPath = job.overlay ? `${tmpOutput.replace(/\.tmp$/, '')}.ass` : undefined;
  try {
    const filters: string[] = [];
    if (width !== info.width || height !== info.height) filters.push(`crop=${width}:${height}:0:0`);
    if (assPath && job.overlay) {
      try {
        await writeFile(assPath, job.overlay(width, height), { encoding: 'utf8', flag: 'wx' });
      } catch (e) {
        throw outputUnwritable(output, e);
      }
      filters.push(`ass=filename=${escapeFilterValue(assPath)}`);
    }
    filters.push('format=yuv420p');

    const args = [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1',
      '-i', input,
      '-map', '0:V:0',
      ...(info.hasAudio ? ['-map', '0:a:0'] : []),
      '-vf', filters.join(','),
      // Keep the source's frames and times (the default for MP4 duplicates or drops frames to a constant rate).
      '-fps_mode', 'vfr',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
      ...(info.hasAudio ? (details.audioCodec === 'aac' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '160k']) : ['-an']),
      '-sn', '-dn',
      '-movflags', '+faststart',
      '-f', 'mp4', '-y', tmpOutput,
    ];
    await runFfmpeg(job, args, info.durationSec);
    if (signal?.aborted) throw aborted(job);
    await moveIntoPlace(tmpOutput, output);
    job.onProgress?.(1);
  } catch (e) {
    await rm(tmpOutput, { force: true });
    throw e;
  } finally {
    if (assPath) await rm(assPath, { force: true });
  }
}

function outputUnwritable(output: string, e: unknown): ActionLensError {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  return new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${output}: ${code}.`, {
    hint: 'Check that the folder exists, is writable and has room.',
    cause: e,
  });
}

/** fsync, keep an existing file's permissions, then rename over the final name. */
async function moveIntoPlace(tmp: string, output: string): Promise<void> {
  try {
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const existing = await stat(output).catch(() => null);
    if (existing?.isFile()) await chmod(tmp, existing.mode & 0o777);
    await rename(tmp, output);
  } catch (e) {
    throw outputUnwritable(output, e);
  }
}

/** Hints for the failures that come from the ffmpeg build rather than the input. */
function hintFor(tail: string): string {
  if (/Unknown encoder 'libx264'|Encoder \(codec h264\) not found/i.test(tail)) {
    return 'This ffmpeg was built without libx264; install a full build (Debian/Ubuntu: apt-get install ffmpeg).';
  }
  if (/No such filter: 'ass'|Filter not found/i.test(tail)) {
    return 'This ffmpeg was built without libass (the `ass` filter); install a full build (Debian/Ubuntu: apt-get install ffmpeg).';
  }
  if (/No space left/i.test(tail)) return 'The disk is full; free some space and try again.';
  return 'Check that the video plays to the end; a truncated or corrupt file may need re-encoding first.';
}

/** Runs ffmpeg to completion, reporting progress from `-progress pipe:1`; rejects on failure or abort. */
function runFfmpeg(job: EncodeJob, args: string[], durationSec: number): Promise<void> {
  const { signal } = job;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(job));
    const child = spawn(job.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const tail: string[] = [];
    let framesEncoded = -1;
    let lastFraction = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };

    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });

    const stderr = createLineSplitter((line) => {
      tail.push(line);
      if (tail.length > STDERR_KEPT_LINES) tail.shift();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => stderr.push(text));

    // -progress prints key=value blocks; out_time_us is the position written so far.
    const progress = createLineSplitter((line) => {
      const eq = line.indexOf('=');
      if (eq < 0) return;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).trim();
      if (key === 'frame') framesEncoded = Number(value);
      else if (key === 'out_time_us' && durationSec > 0 && job.onProgress) {
        const us = Number(value);
        if (!Number.isFinite(us) || us <= 0) return;
        const fraction = Math.min(0.99, us / 1e6 / durationSec); // 1 only once the file is in place
        if (fraction > lastFraction) {
          lastFraction = fraction;
          job.onProgress(fraction);
        }
      }
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => progress.push(text));

    child.on('error', (err) => {
      // Only a failed start ends here without a 'close' to follow.
      if (child.pid !== undefined) return;
      finish(
        new ActionLensError('AL_ERR_FFMPEG_NOT_FOUND', `ffmpeg '${job.ffmpeg}' could not be started: ${err.message}`, {
          hint: 'Check the ffmpeg path (config video.ffmpeg or ACTIONLENS_FFMPEG).',
          cause: err,
        }),
      );
    });
    child.on('close', (code, killSignal) => {
      stderr.flush();
      progress.flush();
      if (signal?.aborted) return finish(aborted(job));
      const said = stderrTail(tail).slice(-1500);
      if (code !== 0 || killSignal) {
        const how = killSignal ? `was killed by ${killSignal}` : `exited with code ${code}`;
        return finish(
          new ActionLensError('AL_ERR_RENDER_FAILED', `${job.what} ('${job.input}') failed: ffmpeg ${how}.${said ? ` ffmpeg said: ${said}` : ''}`, {
            hint: hintFor(said),
          }),
        );
      }
      if (framesEncoded === 0) {
        return finish(
          new ActionLensError('AL_ERR_RENDER_FAILED', `${job.what} ('${job.input}') failed: ffmpeg could not decode a single frame.${said ? ` ffmpeg said: ${said}` : ''}`, {
            hint: hintFor(said),
          }),
        );
      }
      finish();
    });
  });
}
