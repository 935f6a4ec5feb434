// An MMAction2 test pipeline + data_preprocessor -> the spec's input block: SampleFrames gives the
// clip protocol, Resize(-1, S) the short side, Center/Three/TenCrop the views, FormatShape the layout.
import { ActionLensError } from '../../core/errors.js';
import type { ModelSpecInput } from '../spec.js';

type ClipInput = Extract<ModelSpecInput['input'], { layout: 'NCHW-segments' | 'NCTHW-clip' }>;
type PipelineStep = { type: string; [k: string]: unknown };
type Triple = [number, number, number];

const CROP_MODES = { CenterCrop: 'center', ThreeCrop: 'three', TenCrop: 'ten' } as const;
/** Steps that load or pack data and do not change the protocol. */
const PASSIVE_STEPS = new Set(['DecordInit', 'DecordDecode', 'OpenCVInit', 'OpenCVDecode', 'PyAVInit', 'PyAVDecode', 'RawFrameDecode', 'PackActionInputs', 'FormatShape']);

export function inputFromPipeline(pipeline: readonly PipelineStep[], preprocessor: { mean?: unknown; std?: unknown }): ClipInput {
  const step = (type: string) => pipeline.find((p) => p.type === type);
  const sample = step('SampleFrames');
  const resize = step('Resize');
  const format = step('FormatShape');
  if (!sample || !resize || !format) {
    throw pipelineError(`test_pipeline needs SampleFrames, Resize and FormatShape; got ${pipeline.map((p) => p.type).join(', ') || '(empty)'}.`);
  }
  const unknown = pipeline.filter((p) => !PASSIVE_STEPS.has(p.type) && !(p.type in CROP_MODES) && p.type !== 'SampleFrames' && p.type !== 'Resize');
  if (unknown.length > 0) {
    throw pipelineError(`test_pipeline step(s) ${unknown.map((p) => p.type).join(', ')} are not supported; allowed: SampleFrames, Resize, ${Object.keys(CROP_MODES).join(', ')}, FormatShape.`);
  }
  const scale = resize.scale;
  if (!Array.isArray(scale) || scale.length !== 2 || scale[0] !== -1 || !isPositiveInt(scale[1])) {
    throw pipelineError(`Resize.scale must be [-1, short_side] (keep aspect); got ${JSON.stringify(scale)}.`);
  }
  const cropStep = pipeline.find((p) => p.type in CROP_MODES);
  const cropSize = cropStep?.crop_size;
  if (cropStep && !isPositiveInt(cropSize)) throw pipelineError(`${cropStep.type}.crop_size must be a positive integer; got ${JSON.stringify(cropSize)}.`);
  const layout = format.input_format === 'NCHW' ? 'NCHW-segments' : format.input_format === 'NCTHW' ? 'NCTHW-clip' : undefined;
  if (!layout) throw pipelineError(`FormatShape.input_format must be 'NCHW' or 'NCTHW'; got ${JSON.stringify(format.input_format)}.`);

  const input: ClipInput = {
    layout,
    short_side: scale[1] as number,
    ...(cropStep ? { crop: { size: cropSize as number, mode: CROP_MODES[cropStep.type as keyof typeof CROP_MODES] } } : {}),
    value_scale: 1,
    mean: triple(preprocessor.mean, 'data_preprocessor.mean', [0, 0, 0]),
    std: triple(preprocessor.std, 'data_preprocessor.std', [1, 1, 1]),
    // Decord, PyAV and OpenCV init steps all hand RGB frames to the model in MMAction2 1.x.
    channel_order: 'rgb',
    clip_len: positiveInt(sample.clip_len, 'SampleFrames.clip_len'),
    frame_interval: positiveInt(sample.frame_interval ?? 1, 'SampleFrames.frame_interval'),
    num_clips: positiveInt(sample.num_clips ?? 1, 'SampleFrames.num_clips'),
  };
  if (sample.target_fps !== undefined && sample.target_fps !== null) input.target_fps = positiveInt(sample.target_fps, 'SampleFrames.target_fps');
  return input;
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function positiveInt(v: unknown, name: string): number {
  if (!isPositiveInt(v)) throw pipelineError(`${name} must be a positive integer; got ${JSON.stringify(v)}.`);
  return v;
}

function triple(v: unknown, name: string, fallback: Triple): Triple {
  if (v === undefined || v === null) return fallback;
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) return [v[0], v[1], v[2]];
  throw pipelineError(`${name} must be three numbers (one per RGB channel); got ${JSON.stringify(v)}.`);
}

function pipelineError(message: string): ActionLensError {
  return new ActionLensError('AL_ERR_INVALID_SETTINGS', `Unsupported MMAction2 test pipeline: ${message}`, {
    hint: 'Use the test_pipeline of an MMAction2 1.x recognition config (SampleFrames, Resize(-1, S), a crop, FormatShape).',
  });
}
