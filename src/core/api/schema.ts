// The web app's wire contract: every request and response body of the server's HTTP API, as zod
// schemas. Platform-free so that the server validates with them and the page (in the browser)
// parses with them: one definition, two ends.
import { z } from 'zod';
import { ScoredLabelSchema } from '../result/schema.js';
import { AnalysisSettingsSchema, EXECUTION_PROVIDERS, RuntimeSettingsSchema } from '../settings/schema.js';

export const API_PREFIX = '/api';

/** Ids the server hands out (jobs, uploads): opaque, URL-safe. */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'expected an id as returned by the server' });

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// --- models ---

export const ModelSummarySchema = z.object({
  id: z.string(),
  display_name: z.string(),
  family: z.string(),
  dataset: z.string(),
  num_classes: z.number().int(),
  /** stream = frame by frame (MoViNet; can run live); clip = windows of frames (MMAction2). */
  kind: z.enum(['stream', 'clip']),
  input_size: z.string().optional(),
  top1: z.number().optional(),
  top5: z.number().optional(),
  gflops: z.number().optional(),
  params_m: z.number().optional(),
  download_mb: z.number().optional(),
  license: z.string(),
  /** The artifact is in the cache (no download needed). */
  downloaded: z.boolean(),
  /** The converted ONNX is in the cache (no conversion needed). */
  converted: z.boolean(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

export const ModelListSchema = z.object({ models: z.array(ModelSummarySchema) });
export type ModelList = z.infer<typeof ModelListSchema>;

// --- server info, samples ---

export const ServerInfoSchema = z.object({
  version: z.string(),
  default_model: z.string(),
  analysis: AnalysisSettingsSchema,
  /** Providers the page may offer for the "device" setting. */
  execution_providers: z.array(z.enum(EXECUTION_PROVIDERS)),
  /** The server's configured runtime.execution_providers: the page's default device. */
  default_execution_providers: z.array(z.enum(EXECUTION_PROVIDERS)).min(1),
  /** The server's configured runtime.precision: the page's default precision. */
  default_precision: RuntimeSettingsSchema.shape.precision,
  /** How many videos the server's runtime.calibration lists (0 = int8 calibrates on a model's first video). Never their paths. */
  calibration_videos: z.number().int().min(0),
  limits: z.object({ max_upload_mb: z.number(), max_duration_sec: z.number() }),
  samples: z.boolean(),
  url_input: z.object({ allow_private: z.boolean() }),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const SampleSchema = z.object({ name: z.string(), size_bytes: z.number().int() });
export const SampleListSchema = z.object({ samples: z.array(SampleSchema) });
export type SampleList = z.infer<typeof SampleListSchema>;

// --- uploads ---

export const UploadInfoSchema = z.object({
  upload_id: IdSchema,
  name: z.string(),
  size_bytes: z.number().int(),
  duration_s: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
});
export type UploadInfo = z.infer<typeof UploadInfoSchema>;

// --- jobs ---

export const JobSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('upload'), upload_id: IdSchema }),
  z.strictObject({ kind: z.literal('url'), url: z.string().min(1, { error: 'expected a URL' }).max(4096, { error: 'URL too long (max 4096 characters)' }) }),
  z.strictObject({ kind: z.literal('sample'), name: z.string().min(1).max(255) }),
]);
export type JobSource = z.infer<typeof JobSourceSchema>;

export const CreateJobSchema = z.strictObject({
  source: JobSourceSchema,
  /** Zoo model id; absent = the server's default. */
  model: z.string().min(1).max(100).optional(),
  /** Any subset of the analysis settings; the rest come from the server's config. */
  analysis: z.record(z.string(), z.unknown()).optional(),
  /** Execution providers to try in order (the "device" setting). */
  execution_providers: z.array(z.enum(EXECUTION_PROVIDERS)).min(1).optional(),
  /** fp32 | int8 (clip models run a quantized copy); absent = the server's runtime.precision. Calibration videos always come from the server's config. */
  precision: RuntimeSettingsSchema.shape.precision.optional(),
});
export type CreateJob = z.infer<typeof CreateJobSchema>;

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobProgressSchema = z.object({
  /** fetch (URL download) | queued | starting | model | download | probe | hash | analyze | done */
  stage: z.string(),
  fraction: z.number().optional(),
  eta_sec: z.number().optional(),
  video_sec: z.number().optional(),
  /** Jobs ahead of this one in the queue. */
  queue_position: z.number().int().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobStatusSchema = z.object({
  id: IdSchema,
  state: z.enum(JOB_STATES),
  source_name: z.string(),
  model: z.string(),
  created_at: z.string(),
  progress: JobProgressSchema,
  error: ErrorBodySchema.shape.error.optional(),
  /** True when the result came from the result cache. */
  cached: z.boolean().optional(),
  /** Whether the job still has its video (player, MP4 export). */
  has_video: z.boolean(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** Scores of one scored point (frame or window) while a job runs: the partial timeline. */
export const PartialPointSchema = z.object({ t: z.number(), topk: z.array(ScoredLabelSchema) });
export type PartialPoint = z.infer<typeof PartialPointSchema>;

/** Server-sent events on GET /api/jobs/:id/events (event name -> data). */
export const JobEventSchemas = {
  status: JobStatusSchema,
  partial: z.object({ points: z.array(PartialPointSchema) }),
} as const;

export const EXPORT_FORMATS = ['json', 'csv', 'vtt', 'mp4'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// --- live (webcam) ---

/** What the page needs to run a stream model itself (onnxruntime-web) or to stream frames to the server. */
export const LiveModelInfoSchema = z.object({
  id: z.string(),
  onnx_url: z.string(),
  labels: z.array(z.string()),
  width: z.number().int(),
  height: z.number().int(),
  default_fps: z.number(),
  image_input: z.string(),
  logits_output: z.string(),
  states: z.array(z.object({ input: z.string(), output: z.string() })),
  /** The converter's actionlens.quantized_inputs metadata (JSON), when inputs take uint8 codes. */
  quantized_inputs: z.string().optional(),
  value_scale: z.number(),
  /** Restart the states every this many frames, in two staggered lanes (src/core/stream-window.ts); absent = never. */
  window_frames: z.number().int().min(2).optional(),
});
export type LiveModelInfo = z.infer<typeof LiveModelInfoSchema>;

/** Server -> page on the live WebSocket, one per frame the page sent. */
export const LiveReplySchema = z.object({
  /** The page's timestamp of the frame (echoed back, for frame-to-label latency). */
  t_client: z.number(),
  infer_ms: z.number(),
  topk: z.array(ScoredLabelSchema),
});
export type LiveReply = z.infer<typeof LiveReplySchema>;
