import { z } from 'zod';
import { hex64, intIn, nonEmptyString, numberIn, oneOf } from '../settings/rules.js';
import { AGGREGATE_METHODS, AnalysisSettingsSchema, PRECISIONS } from '../settings/schema.js';

// The result document: what an analysis produced, with everything needed to know how it was
// produced (source, model, settings, environment). Versioned: any change to the shape bumps
// RESULT_SCHEMA_VERSION; readers (the result cache, the web UI) refuse other versions.

export const RESULT_SCHEMA_VERSION = '1.2.0'; // 1.1.0: settings.clip_protocol; 1.2.0: model.precision, model.quantization, timings.quantize_ms

const seconds = () => numberIn(0, 1e7);
const milliseconds = () => numberIn(0, 1e10).describe('milliseconds');

export const ScoredLabelSchema = z.strictObject({
  label: z.string({ error: 'expected a label string' }),
  index: intIn(0, 1e6).describe('class index in the model output'),
  score: numberIn(0, 1).describe('probability, rounded to 6 significant digits'),
});

export const TimelineWindowSchema = z
  .strictObject({
    t_start: seconds(),
    t_end: seconds(),
    topk: z.array(ScoredLabelSchema).describe('best first; empty for a window with no scored frame'),
  })
  .describe('one window [t_start, t_end) in seconds with its smoothed top-K');

export const ResultEventSchema = z
  .strictObject({
    label: z.string({ error: 'expected a label string' }),
    index: intIn(0, 1e6),
    start: seconds(),
    end: seconds(),
    peak: numberIn(0, 1),
  })
  .describe('a span where one label stays on top of the smoothed timeline');

export const ResultDocumentSchema = z
  .strictObject({
    schema_version: z.literal(RESULT_SCHEMA_VERSION, { error: `expected "${RESULT_SCHEMA_VERSION}"` }),
    source: z.strictObject({
      name: z.string({ error: 'expected the source name' }).describe('file name, URL or "webcam"'),
      sha256: hex64().nullable().describe('of the file bytes; null for a live source'),
      duration_s: seconds(),
      fps: numberIn(0, 10000),
      width: intIn(0, 100000),
      height: intIn(0, 100000),
      frame_count: intIn(0, 1e9),
    }),
    model: z.strictObject({
      id: nonEmptyString('a model id'),
      artifact_sha256: hex64().describe('of the downloaded artifact (.pth, .tflite or .onnx)'),
      onnx_sha256: hex64().optional().describe('of the ONNX file that ran, when converted'),
      labels_sha256: hex64().optional(),
      family: z.string().optional().describe('e.g. movinet, tsn, x3d'),
      precision: oneOf(PRECISIONS).optional().describe("the runtime.precision asked for; 'int8' = the statically quantized copy ran"),
      quantization: z
        .strictObject({
          method: z.literal('static-qdq', { error: 'expected "static-qdq"' }),
          quantizer_version: nonEmptyString('a quantizer version'),
          calibration: z.array(z.strictObject({ name: z.string(), sha256: hex64() })).describe('the videos the activation ranges came from'),
        })
        .optional()
        .describe('present when an int8 model ran'),
    }),
    settings: AnalysisSettingsSchema.describe('the analysis settings used'),
    timeline: z.array(TimelineWindowSchema),
    aggregate: z.strictObject({
      method: oneOf(AGGREGATE_METHODS),
      topk: z.array(ScoredLabelSchema),
    }),
    events: z.array(ResultEventSchema),
    timings: z
      .strictObject({
        hash_ms: milliseconds().describe('sha256 of the input file'),
        probe_ms: milliseconds(),
        download_ms: milliseconds(),
        convert_ms: milliseconds(),
        quantize_ms: milliseconds().optional().describe('int8 calibration and rewrite, when done in this run'),
        load_ms: milliseconds().describe('creating the ONNX Runtime session'),
        decode_ms: milliseconds(),
        transform_ms: milliseconds(),
        infer_ms: milliseconds(),
        postprocess_ms: milliseconds(),
        total_ms: milliseconds(),
      })
      .describe('per stage; decode/transform/infer overlap in a streaming run, so they may sum to more than total_ms'),
    environment: z.strictObject({
      actionlens: nonEmptyString('the actionlens version'),
      node: z.string().nullable().describe('null in a browser'),
      onnxruntime: nonEmptyString('the onnxruntime version'),
      ffmpeg: z.string().nullable().describe('null when frames did not come from ffmpeg'),
      platform: nonEmptyString('a platform, e.g. linux-x64'),
      execution_provider: nonEmptyString('the execution provider that ran the model'),
      threads: intIn(0, 1024),
    }),
    created_at: z.iso.datetime({ error: 'expected an ISO 8601 UTC time, e.g. 2026-01-31T12:00:00.000Z' }),
  })
  .describe('actionlens result document');

export type ResultDocument = z.infer<typeof ResultDocumentSchema>;
export type ResultTimelineWindow = z.infer<typeof TimelineWindowSchema>;
export type ResultEvent = z.infer<typeof ResultEventSchema>;
export type ResultScoredLabel = z.infer<typeof ScoredLabelSchema>;
