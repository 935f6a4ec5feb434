// The live loop: grabs the newest camera frame at the model's rate and hands it to an engine (in the
// page or on the server), one frame in flight at most. When the engine is slower than the rate, the
// next grab waits for it and the slots in between are skipped: frames are never queued, so the
// label on screen is never older than one inference. Pure scheduling over injected parts (engine,
// frame source, clock), so a test can drive it with a fake clock.
import type { ScoredLabel } from '../../../src/core/postprocess/index.js';

export interface LiveEngine {
  /** Scores one RGB frame at the model's size; `tClient` is when it was grabbed (clock ms). */
  step(rgb: Uint8Array, tClient: number): Promise<{ topk: ScoredLabel[]; inferMs: number }>;
}

export interface FrameSource {
  /** The newest frame as RGB at the model's size, or null while none is available (camera starting). */
  grab(): Uint8Array | null;
}

export interface LoopClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveStats {
  /** Frames scored since start. */
  frames: number;
  /** Rate slots passed while a frame was in flight (frames the camera had that were never analysed). */
  skipped: number;
  /** Frames scored per second over the window. */
  inferFps: number;
  /** Engine time per frame (inference only), median over the window. */
  inferMsP50: number;
  /** Grab to label on screen, over the window. */
  latencyMsP50: number;
  latencyMsP95: number;
}

export interface LiveResult {
  tClient: number;
  topk: ScoredLabel[];
  inferMs: number;
  latencyMs: number;
  stats: LiveStats;
}

export interface LiveLoopOptions {
  /** Frames per second fed to the model (its default_fps). */
  fps: number;
  engine: LiveEngine;
  source: FrameSource;
  onResult: (result: LiveResult) => void;
  /** The engine failed (or onResult threw); the loop has stopped. */
  onError: (error: unknown) => void;
  clock?: LoopClock;
  /** Stats cover the results of the last windowMs (default 10 s). */
  windowMs?: number;
}

export interface LiveLoop {
  stats(): LiveStats;
  /** Stops grabbing; resolves once the frame in flight (if any) has settled. Its result is dropped. */
  stop(): Promise<void>;
}

const systemClock: LoopClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** Nearest-rank percentile of an ascending list (0 when empty). */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1]!;
}

interface Sample {
  tClient: number;
  doneAt: number;
  inferMs: number;
  latencyMs: number;
}

export function startLiveLoop(opts: LiveLoopOptions): LiveLoop {
  if (!(opts.fps > 0)) throw new RangeError(`live loop fps is ${opts.fps}; expected a number > 0`);
  const clock = opts.clock ?? systemClock;
  const periodMs = 1000 / opts.fps;
  const windowMs = opts.windowMs ?? 10_000;
  // While the camera has no frame yet, look again at a finer step than the rate.
  const retryMs = Math.min(periodMs, 50);

  let stopped = false;
  let timer: unknown;
  let inFlight: Promise<void> | undefined;
  let due: number | undefined; // when the next grab is due (none before the first frame)
  let frames = 0;
  let skipped = 0;
  const samples: Sample[] = [];

  const stats = (): LiveStats => {
    const now = clock.now();
    while (samples.length > 0 && samples[0]!.doneAt < now - windowMs) samples.shift();
    const n = samples.length;
    // Frames per second of camera time: grab to grab, so one slow first reply does not inflate it.
    const span = n >= 2 ? samples[n - 1]!.tClient - samples[0]!.tClient : 0;
    const sorted = (key: 'inferMs' | 'latencyMs') => samples.map((s) => s[key]).sort((a, b) => a - b);
    const latency = sorted('latencyMs');
    return {
      frames,
      skipped,
      inferFps: span > 0 ? ((n - 1) * 1000) / span : 0,
      inferMsP50: percentile(sorted('inferMs'), 50),
      latencyMsP50: percentile(latency, 50),
      latencyMsP95: percentile(latency, 95),
    };
  };

  const schedule = (delayMs: number) => {
    timer = clock.setTimeout(tick, Math.max(0, delayMs));
  };

  const fail = (e: unknown) => {
    if (stopped) return;
    stopped = true;
    opts.onError(e);
  };

  function tick(): void {
    timer = undefined;
    if (stopped) return;
    const now = clock.now();
    const rgb = opts.source.grab();
    if (!rgb) {
      due = undefined; // waiting for the camera is not falling behind
      return schedule(retryMs);
    }
    if (due !== undefined && now - due >= periodMs) skipped += Math.floor((now - due) / periodMs);
    // The next grab is one period after this one: never faster than the model's rate.
    due = now + periodMs;
    const tClient = now;
    inFlight = opts.engine.step(rgb, tClient).then(
      ({ topk, inferMs }) => {
        if (stopped) return;
        const doneAt = clock.now();
        frames++;
        samples.push({ tClient, doneAt, inferMs, latencyMs: doneAt - tClient });
        try {
          opts.onResult({ tClient, topk, inferMs, latencyMs: doneAt - tClient, stats: stats() });
        } catch (e) {
          return fail(e);
        }
        if (!stopped) schedule(tClient + periodMs - clock.now());
      },
      (e: unknown) => fail(e),
    );
  }

  schedule(0);
  return {
    stats,
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
