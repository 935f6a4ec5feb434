// A model's test protocol as plain data, mirroring MMAction2's `test_pipeline` list (snake_case keys
// as configs write them, so a config's list validates as is). Decoder and packing steps are accepted
// and skipped: decoding belongs to the video layer, packing has no equivalent here.
import { z } from 'zod';
import { ActionLensError } from '../errors.js';
import type { SampleFramesOptions } from '../sampling/sample-frames.js';

const positiveInt = z.number().int().min(1);
const cropSize = z.union([positiveInt, z.tuple([positiveInt, positiveInt])]);

export const SKIPPED_STEP_TYPES = [
  'DecordInit', 'DecordDecode', 'OpenCVInit', 'OpenCVDecode', 'PyAVInit', 'PyAVDecode', 'RawFrameDecode', 'PackActionInputs',
] as const;

export const pipelineStepSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('SampleFrames'),
    clip_len: positiveInt,
    frame_interval: positiveInt.default(1),
    num_clips: positiveInt.default(1),
    test_mode: z.boolean().default(true),
    twice_sample: z.boolean().default(false),
    out_of_bound_opt: z.enum(['loop', 'repeat_last']).default('loop'),
    target_fps: z.number().positive().nullable().default(null),
    keep_tail_frames: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('Resize'),
    /** [-1, S]: short side S. [W, H] with keep_ratio false: exactly W x H. */
    scale: z.tuple([z.number().int().min(-1), z.number().int().min(-1)]),
    keep_ratio: z.boolean().default(true),
    interpolation: z.literal('bilinear').default('bilinear'),
  }),
  z.object({ type: z.literal('CenterCrop'), crop_size: cropSize }),
  z.object({ type: z.literal('ThreeCrop'), crop_size: cropSize }),
  z.object({ type: z.literal('TenCrop'), crop_size: cropSize }),
  z.object({ type: z.literal('FormatShape'), input_format: z.enum(['NCHW', 'NCTHW']) }),
  ...SKIPPED_STEP_TYPES.map((type) => z.object({ type: z.literal(type) })),
]);

export type PipelineStep = z.output<typeof pipelineStepSchema>;
/** A validated test pipeline, defaults filled in. */
export type TestPipeline = PipelineStep[];
/** What a config file may contain (defaults optional). */
export type TestPipelineInput = z.input<typeof pipelineStepSchema>[];

export type StepOfType<T extends PipelineStep['type']> = Extract<PipelineStep, { type: T }>;

/** Validate a config's `test_pipeline` list; returns a new array with defaults filled in. */
export function parseTestPipeline(raw: unknown): TestPipeline {
  const result = z.array(pipelineStepSchema).min(1).safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `test_pipeline${issue.path.map((p) => `[${String(p)}]`).join('')}: ${issue.message}`, {
      hint: 'Steps follow MMAction2 test pipelines: SampleFrames, Resize, CenterCrop/ThreeCrop/TenCrop, FormatShape (decoder steps are skipped).',
    });
  }
  return result.data;
}

export function findStep<T extends PipelineStep['type']>(pipeline: TestPipeline, type: T): StepOfType<T> | undefined {
  return pipeline.find((s): s is StepOfType<T> => s.type === type);
}

/** The pipeline's SampleFrames settings, ready for sampleFrames() once the video is probed. */
export function samplingOptions(pipeline: TestPipeline): Omit<SampleFramesOptions, 'totalFrames' | 'avgFps'> {
  const step = findStep(pipeline, 'SampleFrames');
  if (!step) throw new ActionLensError('AL_ERR_INVALID_SETTINGS', 'test_pipeline has no SampleFrames step', { hint: 'Add one with clip_len, frame_interval and num_clips.' });
  if (!step.test_mode) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', 'SampleFrames: test_mode is false; only test-mode sampling is deterministic and supported', { hint: 'Set test_mode: true.' });
  }
  return {
    clipLen: step.clip_len,
    frameInterval: step.frame_interval,
    numClips: step.num_clips,
    twiceSample: step.twice_sample,
    outOfBoundOpt: step.out_of_bound_opt,
    targetFps: step.target_fps,
    keepTailFrames: step.keep_tail_frames,
  };
}
