import { z } from 'zod';
import { booleanField, intIn, nonEmptyString, numberIn, oneOf, positiveUpTo } from './rules.js';

// The app config. `analysis` holds everything that changes a result (it is copied into the result
// document and keys the result cache); the other sections only change how fast or where things run.
// Objects are strict so a misspelt key is an error instead of a silently ignored setting.

export const SMOOTHING_METHODS = ['none', 'moving_average', 'gaussian'] as const;
export const AGGREGATE_METHODS = ['mean', 'max'] as const;
export const PRECISIONS = ['fp32', 'int8'] as const;
/** Clip models: 'timeline' = aggregate of the timeline windows; 'full' = MMAction2's whole-video test protocol. */
export const CLIP_PROTOCOLS = ['timeline', 'full'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
/** ONNX Runtime execution provider names as onnxruntime-node / onnxruntime-web spell them. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'wasm', 'webnn'] as const;

const sampleFpsError = 'expected null (the model\'s own rate), a number > 0 and <= 1000, or "all" (every frame)';

export const SmoothingSchema = z.strictObject({
  /** none | moving_average | gaussian; only the parameter of the chosen method is used. */
  method: oneOf(SMOOTHING_METHODS),
  sigma_sec: positiveUpTo(3600),
  width_sec: positiveUpTo(3600),
});

export const EventsSchema = z
  .strictObject({
    enter_score: numberIn(0, 1),
    exit_score: numberIn(0, 1),
    min_duration_sec: numberIn(0, 86400),
  })
  .superRefine((events, ctx) => {
    if (events.exit_score > events.enter_score) {
      ctx.addIssue({
        code: 'custom',
        path: ['exit_score'],
        input: events.exit_score,
        message: `expected a number in 0..enter_score (${events.enter_score}) so that events have hysteresis`,
      });
    }
  });

export const AnalysisSettingsSchema = z.strictObject({
  topk: intIn(1, 1000),
  threshold: numberIn(0, 1),
  sample_fps: z.union(
    [
      z.null({ error: sampleFpsError }),
      z.number({ error: sampleFpsError }).positive({ error: sampleFpsError }).max(1000, { error: sampleFpsError }),
      z.literal('all', { error: sampleFpsError }),
    ],
    { error: sampleFpsError },
  ),
  window_sec: positiveUpTo(3600),
  smoothing: SmoothingSchema,
  aggregate: oneOf(AGGREGATE_METHODS),
  events: EventsSchema,
  /** Clip models only: where the whole-video aggregate comes from (stream models ignore it). */
  clip_protocol: oneOf(CLIP_PROTOCOLS),
});

export const RuntimeSettingsSchema = z.strictObject({
  /** Intra-op threads for ONNX Runtime; 0 lets the runtime choose. */
  threads: intIn(0, 1024),
  /** Tried in order; the first that loads is used. */
  execution_providers: z
    .array(oneOf(EXECUTION_PROVIDERS), { error: 'expected a list of execution providers' })
    .min(1, { error: `expected at least one of ${EXECUTION_PROVIDERS.join(' | ')}` }),
  workers: intIn(1, 64),
  /**
   * 'int8' runs clip models (MMAction2 conv families) as a statically quantized copy: int8 weights
   * and activations, calibrated on videos, about 1.5-3x faster on CPUs with VNNI at a small accuracy cost.
   */
  precision: oneOf(PRECISIONS),
  /** Videos whose activation ranges calibrate int8; empty = the first video analysed. */
  calibration: z.array(nonEmptyString('a video file path'), { error: 'expected a list of video file paths' }).max(64, { error: 'expected at most 64 calibration videos' }),
});

export const StoreSettingsSchema = z.strictObject({
  /** null = the platform default ($XDG_CACHE_HOME/actionlens or ~/.cache/actionlens). */
  cache_dir: nonEmptyString('a directory path or null').nullable(),
  /** URL prefixes or local directories tried before the official URLs. */
  mirrors: z.array(nonEmptyString('a URL prefix or a directory'), { error: 'expected a list of URL prefixes or directories' }),
  offline: booleanField(),
});

export const VideoSettingsSchema = z.strictObject({
  /** null = find ffmpeg / ffprobe on PATH. */
  ffmpeg: nonEmptyString('a path to ffmpeg or null').nullable(),
  ffprobe: nonEmptyString('a path to ffprobe or null').nullable(),
  /** Decoded frames buffered between the decoder and the model. */
  queue_frames: intIn(1, 1024),
});

export const UrlInputSettingsSchema = z.strictObject({
  /** Let URLs reach loopback, private, link-local and metadata addresses (off: a web page could
   *  otherwise make the server fetch from the user's own network). */
  allow_private: booleanField(),
  max_mb: positiveUpTo(1_000_000),
  timeout_sec: positiveUpTo(86_400),
  max_redirects: intIn(0, 20),
});

export const ServerSettingsSchema = z.strictObject({
  /** Address to bind; anything but loopback requires a token. */
  host: nonEmptyString('an address to bind, e.g. 127.0.0.1'),
  port: intIn(0, 65535),
  /** Bearer token the page and API clients must send; null = none (loopback only). */
  token: z.string({ error: 'expected a token string of at least 16 characters or null' }).min(16, { error: 'expected a token string of at least 16 characters or null' }).nullable(),
  /** Largest upload accepted, in megabytes. */
  max_upload_mb: positiveUpTo(1_000_000),
  /** Longest video accepted (upload or URL), in seconds. */
  max_duration_sec: positiveUpTo(86_400 * 7),
  url_input: UrlInputSettingsSchema,
  /** Analyses run at the same time; the others wait in the queue. */
  concurrency: intIn(1, 64),
  /** Jobs waiting beyond this are refused with "server busy". */
  max_queued: intIn(0, 10_000),
  /** Seconds a finished job keeps its video (for the player and the MP4 export) before it is removed. */
  retain_sec: intIn(0, 86_400 * 7),
  /** Folder of sample clips offered in the page; null = no samples. */
  samples_dir: nonEmptyString('a directory path or null').nullable(),
  /** Where uploads and downloads live while a job needs them; null = <os tmp>/actionlens-server. */
  temp_dir: nonEmptyString('a directory path or null').nullable(),
});

export const AppConfigSchema = z.strictObject({
  model: nonEmptyString('a model id, e.g. movinet-a0-stream-k600'),
  analysis: AnalysisSettingsSchema,
  runtime: RuntimeSettingsSchema,
  store: StoreSettingsSchema,
  video: VideoSettingsSchema,
  result_cache: z.strictObject({ enabled: booleanField() }),
  server: ServerSettingsSchema,
  log_level: oneOf(LOG_LEVELS),
});

export type AnalysisSettings = z.infer<typeof AnalysisSettingsSchema>;
export type SmoothingSettings = z.infer<typeof SmoothingSchema>;
export type EventSettings = z.infer<typeof EventsSchema>;
export type RuntimeSettings = z.infer<typeof RuntimeSettingsSchema>;
export type StoreSettings = z.infer<typeof StoreSettingsSchema>;
export type VideoSettings = z.infer<typeof VideoSettingsSchema>;
export type ServerSettings = z.infer<typeof ServerSettingsSchema>;
export type AppConfig = z.infer<typeof AppConfigSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
