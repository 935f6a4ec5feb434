// ModelSpec: everything actionlens needs to know about a model, as plain data (zoo table entries
// and user YAML files alike). Platform-free: no node:* imports, so the web app can read the zoo.
import { z } from 'zod';
import { ActionLensError } from '../core/errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
// MMAction2 file names carry the first 8 hex digits of the sha256 (`..._20220906-2692d16c.pth`).
const SHA256_PREFIX_HEX = /^[0-9a-f]{8,63}$/;
// One path segment: the store uses it as a file name inside the cache, so no separators or `..`.
const SAFE_FILE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,200}$/;

const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);
const positiveInt = z.number().int().positive();

const labelsSchema = z.object({
  /** Relative to assets/labels (shipped label maps), or an absolute path for user models. */
  file: z.string().min(1),
  sha256: z.string().regex(SHA256_HEX, 'must be 64 lowercase hex digits'),
});

const sourceSchema = z
  .object({
    /** Official download URLs, tried in order. May be empty for files that only come from a mirror. */
    urls: z.array(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).default([]),
    file_name: z.string().regex(SAFE_FILE_NAME, 'must be a plain file name (letters, digits, . _ -)'),
    sha256: z.string().regex(SHA256_HEX, 'must be 64 lowercase hex digits').optional(),
    sha256_prefix: z.string().regex(SHA256_PREFIX_HEX, 'must be 8 to 63 lowercase hex digits').optional(),
    size_bytes: positiveInt.optional(),
    license: z.string().min(1),
    converter: z.enum(['tflite', 'mmaction2-pth', 'onnx']),
  })
  .refine((s) => (s.sha256 === undefined) !== (s.sha256_prefix === undefined), {
    message: 'give exactly one of sha256 (full hex) or sha256_prefix',
    path: ['sha256'],
  });

const cropSchema = z.object({
  size: positiveInt,
  /** 'center' = 1 view, 'three' = 3 views along the long side, 'ten' = 5 crops + flips. */
  mode: z.enum(['center', 'three', 'ten']).default('center'),
});

// Pixel values v in [0, 255] become (v * value_scale - mean[c]) / std[c], in channel_order.
const normalizeFields = {
  value_scale: z.number().positive().default(1),
  mean: rgbTriple.default([0, 0, 0]),
  std: rgbTriple.refine((s) => s.every((v) => v > 0), 'every std must be > 0').default([1, 1, 1]),
  channel_order: z.enum(['rgb', 'bgr']).default('rgb'),
};

const resizeFields = {
  /** Plain resize to exactly this size (aspect ratio not kept). */
  size: z.object({ width: positiveInt, height: positiveInt }).optional(),
  /** Resize so the short side has this length (aspect kept), then crop. */
  short_side: positiveInt.optional(),
  crop: cropSchema.optional(),
};

const streamInputSchema = z.object({
  layout: z.literal('NTHWC-stream'),
  ...resizeFields,
  ...normalizeFields,
  /** Frames per second fed to the model, one frame per step. */
  default_fps: z.number().positive(),
});

const clipFields = {
  ...resizeFields,
  ...normalizeFields,
  clip_len: positiveInt,
  frame_interval: positiveInt,
  num_clips: positiveInt,
  /** Resample the video to this fps before sampling (X3D-style); absent = use source frames. */
  target_fps: z.number().positive().optional(),
};

const inputSchema = z
  .discriminatedUnion('layout', [
    streamInputSchema,
    z.object({ layout: z.literal('NCHW-segments'), ...clipFields }),
    z.object({ layout: z.literal('NCTHW-clip'), ...clipFields }),
  ])
  .superRefine((input, ctx) => {
    const hasSize = input.size !== undefined;
    const hasShortSide = input.short_side !== undefined;
    if (hasSize === hasShortSide) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'give either size {width, height} or short_side (+ crop), not both or neither' });
    }
    if (input.crop !== undefined && !hasShortSide) {
      ctx.addIssue({ code: 'custom', path: ['crop'], message: 'crop needs short_side' });
    }
    if (input.crop !== undefined && input.short_side !== undefined && input.crop.size > input.short_side) {
      ctx.addIssue({ code: 'custom', path: ['crop', 'size'], message: `crop size ${input.crop.size} is larger than short_side ${input.short_side}` });
    }
  });

// The MMAction2 config as plain data (tuples become arrays): what the converter builds and the
// clip engine samples. Only the keys actionlens reads are typed; the rest is carried as-is.
const mmaction2Schema = z.object({
  /** cfg.model: type Recognizer2D | Recognizer3D, backbone, cls_head, data_preprocessor... */
  model: z.looseObject({
    type: z.string().min(1),
    backbone: z.looseObject({ type: z.string().min(1) }),
    cls_head: z.looseObject({ type: z.string().min(1), num_classes: positiveInt }),
  }),
  /** cfg.test_pipeline: SampleFrames, Resize, ThreeCrop..., FormatShape, in order. */
  test_pipeline: z.array(z.looseObject({ type: z.string().min(1) })),
});

const outputSchema = z.object({
  kind: z.enum(['logits', 'probs']),
  /** How views (clips x crops) are merged: average softmax probabilities, or raw scores. */
  view_average: z.enum(['prob', 'score']).default('prob'),
  stream: z
    .object({
      image_input: z.string().min(1),
      logits_output: z.string().min(1),
      /** Recurrent state tensors fed back every frame; absent = discovered from the model. */
      state_names: z.array(z.string().min(1)).optional(),
      /** Restart the states every this many frames, in two staggered lanes (src/core/stream-window.ts):
       *  the stream's running average must not grow without bound. Absent = one unbounded stream. */
      window_frames: z.number().int().min(2).optional(),
    })
    .optional(),
});

export const modelSpecSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be lowercase letters, digits, . _ - (max 100)'),
    display_name: z.string().min(1),
    family: z.string().regex(/^[a-z0-9][a-z0-9_+-]*$/, 'must be a lowercase family name such as movinet or tsn'),
    dataset: z.string().min(1),
    num_classes: positiveInt,
    labels: labelsSchema,
    source: sourceSchema,
    input: inputSchema,
    output: outputSchema,
    /** top5 is absent for a few zoo models (converted X3D weights publish top1 only). */
    accuracy: z.object({ top1: z.number().min(0).max(100), top5: z.number().min(0).max(100).optional() }).optional(),
    /** Floating point operations for the input described by input_size. */
    flops: z.number().nonnegative().optional(),
    params: z.number().int().nonnegative().optional(),
    /** Human description of the input the accuracy and flops refer to, e.g. "50 x 172 x 172". */
    input_size: z.string().optional(),
    /** MMAction2 models: the config's model dict and test pipeline (converter 'mmaction2-pth'). */
    mmaction2: mmaction2Schema.optional(),
  })
  .superRefine((spec, ctx) => {
    const isStream = spec.input.layout === 'NTHWC-stream';
    if (isStream && spec.output.stream === undefined) {
      ctx.addIssue({ code: 'custom', path: ['output', 'stream'], message: "layout 'NTHWC-stream' needs output.stream {image_input, logits_output}" });
    }
    if (spec.mmaction2 !== undefined && spec.mmaction2.model.cls_head.num_classes !== spec.num_classes) {
      ctx.addIssue({ code: 'custom', path: ['mmaction2', 'model', 'cls_head', 'num_classes'], message: `must equal num_classes (${spec.num_classes})` });
    }
    if (!isStream && spec.output.stream !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['output', 'stream'], message: `output.stream is only for layout 'NTHWC-stream', not '${spec.input.layout}'` });
    }
  });

/** A validated model spec with defaults filled in. */
export type ModelSpec = z.output<typeof modelSpecSchema>;
/** What a zoo entry or YAML file may contain before defaults are filled in. */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
export type ModelInputSpec = ModelSpec['input'];
export type ModelOutputSpec = ModelSpec['output'];
export type ModelSourceSpec = ModelSpec['source'];
export type ConverterKind = ModelSourceSpec['converter'];
export type Mmaction2Spec = NonNullable<ModelSpec['mmaction2']>;

/**
 * Validates untrusted data (zoo entry, YAML, JSON) and returns a new spec with defaults filled in.
 * Throws AL_ERR_INVALID_SETTINGS listing every bad field with its path and value.
 */
export function validateModelSpec(data: unknown, origin = 'model spec'): ModelSpec {
  const parsed = modelSpecSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    const value = valueAt(data, issue.path);
    const shown = value === undefined ? 'missing' : `got ${JSON.stringify(value)?.slice(0, 80)}`;
    return `  - ${where}: ${issue.message} (${shown})`;
  });
  const id = isRecord(data) && typeof data.id === 'string' ? ` '${data.id}'` : '';
  throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `Invalid ${origin}${id}:\n${problems.join('\n')}`, {
    hint: 'Fix the fields listed above; see src/models/spec.ts for every field and its allowed values.',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (!isRecord(cur)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
