// decodeFrames: streams rgb24 frames out of an ffmpeg subprocess. Frames pass through a bounded
// queue; when the consumer is slow the queue fills, ffmpeg's stdout is paused, the pipe fills and
// ffmpeg blocks, so memory stays flat however long the video is.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createBoundedQueue, type BoundedQueue } from '../core/bounded-queue.js';
import { ActionLensError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { RgbFrame } from '../core/video-types.js';
import { buildDecodeArgs, frameSelectionOf, validateDecodeArgs, type OutputGeometry } from './decode-args.js';
import { createLineSplitter, isErrorLevel, parseFfmpegLogLine, summariseLogLines, type FfmpegLogLine } from './ffmpeg-log.js';
import { locateFfmpeg, type FfmpegTools } from './ffmpeg-locate.js';
import { createFrameAssembler } from './frame-assembler.js';
import { createSelectionMapper } from './frame-selection.js';
import { checkInputFile } from './input-file.js';
import { createShowinfoReader, isShowinfoLine } from './showinfo.js';

export interface DecodeOptions {
  geometry: OutputGeometry;
  /** Resample to this frame rate (ffmpeg fps filter); omit for every frame. */
  fps?: number;
  maxFrames?: number;
  /**
   * Only these source frames (0-based decode order); the frames handed out carry their source index
   * in `index`, in increasing order. Not combinable with fps or maxFrames.
   */
  selectFrames?: readonly number[];
  signal?: AbortSignal;
  /** Capacity of the frame queue between ffmpeg and the consumer (default 8). */
  queueFrames?: number;
  /**
   * What to do when ffmpeg logs errors but still exits 0 (a truncated or partly corrupt file):
   * 'fail' (default) hands out the frames it could decode, then throws AL_ERR_DECODE_FAILED;
   * 'warn' logs a warning and ends normally.
   */
  onCorruptInput?: 'fail' | 'warn';
  tools?: Pick<FfmpegTools, 'ffmpeg'>;
  logger?: Logger;
}

/** Live figures of a running decode, for tests and progress reporting. */
export interface DecodeStats {
  pid: number | undefined;
  /** Most frames ever waiting in the queue (never above queueFrames). */
  peakQueuedFrames: number;
  framesDecoded: number;
}

export interface FrameStream extends AsyncIterable<RgbFrame> {
  readonly stats: DecodeStats;
}

const DEFAULT_QUEUE_FRAMES = 8;
const MAX_KEPT_LOG_LINES = 200;
const KILL_WAIT_MS = 5_000;

type FfmpegChild = ChildProcessByStdio<null, Readable, Readable>;

function aborted(input: string): ActionLensError {
  return new ActionLensError('AL_ERR_ABORTED', `Decoding '${input}' was cancelled.`);
}

function decodeFailed(input: string, what: string, lines: readonly FfmpegLogLine[], framesDecoded: number): ActionLensError {
  const said = lines.length > 0 ? ` ffmpeg said: ${summariseLogLines(lines)}` : '';
  const tooOld = lines.some((l) => /Unrecognized option 'fps_mode'/.test(l.text));
  return new ActionLensError('AL_ERR_DECODE_FAILED', `Decoding '${input}' failed after ${framesDecoded} frame(s): ${what}.${said}`, {
    hint: tooOld
      ? 'This ffmpeg is older than 5.1 (no -fps_mode); install ffmpeg 5.1 or newer.'
      : 'The file is probably truncated or corrupt: check that it plays to the end, or re-encode it (ffmpeg -i in.mp4 out.mp4).',
  });
}

/** Streams frames of a video; spawning waits for the first `next()`. Invalid options throw at once. */
export function decodeFrames(input: string, options: DecodeOptions): FrameStream {
  validateDecodeArgs(options);
  const queueFrames = options.queueFrames ?? DEFAULT_QUEUE_FRAMES;
  if (!Number.isInteger(queueFrames) || queueFrames < 1 || queueFrames > 4096) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'queueFrames' must be an integer in [1, 4096], got ${String(queueFrames)}.`);
  }
  const stats: DecodeStats = { pid: undefined, peakQueuedFrames: 0, framesDecoded: 0 };
  return {
    stats,
    [Symbol.asyncIterator]: () => runDecode(input, options, queueFrames, stats),
  };
}

async function* runDecode(input: string, options: DecodeOptions, queueFrames: number, stats: DecodeStats): AsyncGenerator<RgbFrame> {
  const { signal } = options;
  if (signal?.aborted) throw aborted(input);
  const checked = checkInputFile(input);
  const ffmpeg = options.tools?.ffmpeg ?? locateFfmpeg().ffmpeg;
  const args = buildDecodeArgs({
    input: checked.input,
    geometry: options.geometry,
    fps: options.fps,
    maxFrames: options.maxFrames,
    selectFrames: options.selectFrames,
  });
  const logger = options.logger ?? silentLogger;
  logger.debug({ ffmpeg, args }, 'decode: spawning ffmpeg');

  const child: FfmpegChild = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  stats.pid = child.pid;
  const queue = createBoundedQueue<RgbFrame>(queueFrames);
  const closed = watchChild(child, input, options, queue, stats, logger);
  const onAbort = () => {
    child.kill('SIGKILL');
    queue.fail(aborted(input));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    for await (const frame of queue) {
      if (signal?.aborted) throw aborted(input);
      stats.peakQueuedFrames = queue.peakSize;
      yield frame;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Early break, abort or error: make sure ffmpeg is gone before the iterator returns, and
    // release pushes still waiting for room.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (!queue.ended) queue.close();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, KILL_WAIT_MS).unref())]);
    stats.peakQueuedFrames = queue.peakSize;
  }
}

/** Wires ffmpeg's pipes to the queue; resolves when the process has closed and the queue has its ending. */
function watchChild(
  child: FfmpegChild,
  input: string,
  options: DecodeOptions,
  queue: BoundedQueue<RgbFrame>,
  stats: DecodeStats,
  logger: Logger,
): Promise<void> {
  const errorLines: FfmpegLogLine[] = [];
  const recentLines: FfmpegLogLine[] = []; // context for a non-zero exit without error-level lines
  const maxFrames = options.maxFrames ?? Number.POSITIVE_INFINITY;
  let lastPush: Promise<void> = Promise.resolve();
  let fatal: ActionLensError | undefined; // found while reading the output: ffmpeg is killed, this is thrown
  let blockedPushes = 0;
  const selection = frameSelectionOf(options);
  const sourceIndexOf = selection ? createSelectionMapper(selection) : undefined;

  const assembler = createFrameAssembler((output) => {
    if (output.index >= maxFrames) return;
    // With selectFrames, output frame k maps back to its source index; extras of merged ranges are dropped.
    const sourceIndex = sourceIndexOf ? sourceIndexOf(output.index) : output.index;
    if (sourceIndex === undefined) return;
    const frame = sourceIndex === output.index ? output : { ...output, index: sourceIndex };
    stats.framesDecoded++;
    // A push that finds the queue full waits: pause stdout until it lands (backpressure).
    const willWait = queue.size >= queue.capacity || blockedPushes > 0;
    const push = queue.push(frame);
    lastPush = push.catch(() => undefined);
    if (willWait) {
      blockedPushes++;
      child.stdout.pause();
      void lastPush.then(() => {
        if (--blockedPushes === 0) child.stdout.resume();
      });
    }
  });

  const showinfo = createShowinfoReader();
  const lines = createLineSplitter((raw) => {
    const line = parseFfmpegLogLine(raw);
    if (isShowinfoLine(line)) {
      const record = showinfo.read(line);
      if (!record || fatal) return;
      try {
        assembler.addRecord(record);
      } catch (err) {
        fatal = err as ActionLensError;
        child.kill('SIGKILL');
      }
      return;
    }
    if (isErrorLevel(line.level) && errorLines.length < MAX_KEPT_LOG_LINES) errorLines.push(line);
    if (line.level !== 'info') {
      recentLines.push(line);
      if (recentLines.length > 20) recentLines.shift();
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => lines.push(text));
  child.stdout.on('data', (chunk: Buffer) => {
    if (!fatal) assembler.addBytes(chunk);
  });

  return new Promise<void>((resolve) => {
    let settled = false;
    const settle = (ending: () => void) => {
      if (settled) return;
      settled = true;
      // Let the frames already decoded reach the consumer before the end or the error.
      void lastPush.then(() => {
        ending();
        resolve();
      });
    };

    child.on('error', (err) => {
      settle(() =>
        queue.fail(
          new ActionLensError('AL_ERR_FFMPEG_NOT_FOUND', `ffmpeg could not be started: ${err.message}`, {
            hint: 'Check the ffmpeg path (config ffmpeg.path or ACTIONLENS_FFMPEG).',
            cause: err,
          }),
        ),
      );
    });

    child.on('close', (code, killSignal) => {
      lines.flush();
      const framesDecoded = stats.framesDecoded;
      const reachedMax = framesDecoded >= maxFrames;
      settle(() => {
        if (options.signal?.aborted) return queue.fail(aborted(input));
        if (queue.ended) return; // the consumer stopped early
        if (fatal) return queue.fail(fatal);
        if (killSignal) return queue.fail(decodeFailed(input, `ffmpeg was killed by ${killSignal}`, errorLines, framesDecoded));
        if (code !== 0) {
          const lines = errorLines.length > 0 ? errorLines : recentLines;
          return queue.fail(decodeFailed(input, `ffmpeg exited with code ${code}`, lines, framesDecoded));
        }
        if (assembler.pendingBytes > 0 && !reachedMax) {
          return queue.fail(decodeFailed(input, `the last frame is partial (${assembler.pendingBytes} bytes left over)`, errorLines, framesDecoded));
        }
        if (assembler.pendingRecords > 0 && !reachedMax) {
          return queue.fail(decodeFailed(input, `ffmpeg announced ${assembler.pendingRecords} frame(s) it never wrote`, errorLines, framesDecoded));
        }
        if (errorLines.length > 0) {
          if ((options.onCorruptInput ?? 'fail') === 'fail') {
            return queue.fail(decodeFailed(input, 'ffmpeg reported errors in the data (truncated or corrupt file)', errorLines, framesDecoded));
          }
          logger.warn({ input, framesDecoded, ffmpeg: summariseLogLines(errorLines) }, 'decode: ffmpeg reported errors; frames may be missing');
        }
        queue.close();
      });
    });
  });
}
