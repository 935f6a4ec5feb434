// Test helper: a clip-model ModelSpec made from an MMAction2 test pipeline and data preprocessor as
// the fixtures record them (what a zoo entry carries), so tests need no zoo entry or download.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateModelSpec, type ModelSpec } from '../../src/models/spec.js';

export const SHARED = resolve(process.cwd(), '../shared');
export const MEDIA = resolve(SHARED, 'media');

type Step = { type: string } & Record<string, unknown>;

export interface SpecParts {
  id: string;
  pipeline: Step[];
  mean: number[];
  std: number[];
  numClasses?: number;
  /** The config's model dict (golden fixtures have one); it becomes the spec's mmaction2 block. */
  model?: { type: string; backbone: { type: string }; cls_head: { type: string; num_classes: number } } & Record<string, unknown>;
}

export function specFromPipeline(parts: SpecParts): ModelSpec {
  const step = (type: string) => parts.pipeline.find((s) => s.type === type);
  const sample = step('SampleFrames')!;
  const resize = step('Resize')!;
  const crop = step('CenterCrop') ?? step('ThreeCrop') ?? step('TenCrop');
  const format = step('FormatShape')!;
  const mode = crop?.type === 'ThreeCrop' ? 'three' : crop?.type === 'TenCrop' ? 'ten' : 'center';
  const numClasses = parts.numClasses ?? parts.model?.cls_head.num_classes ?? 400;
  return validateModelSpec({
    id: parts.id,
    display_name: parts.id,
    family: 'test',
    dataset: 'kinetics-400',
    num_classes: numClasses,
    labels: { file: 'kinetics400.txt', sha256: '0'.repeat(64) },
    source: { urls: [], file_name: `${parts.id}.onnx`, sha256: '0'.repeat(64), license: 'test', converter: 'onnx' },
    input: {
      layout: format.input_format === 'NCTHW' ? 'NCTHW-clip' : 'NCHW-segments',
      clip_len: sample.clip_len,
      frame_interval: sample.frame_interval ?? 1,
      num_clips: sample.num_clips ?? 1,
      ...(sample.target_fps ? { target_fps: sample.target_fps } : {}),
      short_side: (resize.scale as number[])[1],
      ...(crop ? { crop: { size: crop.crop_size, mode } } : {}),
      mean: parts.mean,
      std: parts.std,
      channel_order: 'rgb',
    },
    output: { kind: 'logits', view_average: 'prob' },
    ...(parts.model ? { mmaction2: { model: parts.model, test_pipeline: parts.pipeline } } : {}),
  });
}

/** A golden fixture (fixtures/mmaction2/<name>.json): config model dict, test pipeline, preprocessor. */
export function goldenFixtureSpec(name: string): { spec: ModelSpec; model: SpecParts['model'] & object } {
  const fx = JSON.parse(readFileSync(resolve(SHARED, 'fixtures/mmaction2', `${name}.json`), 'utf8')) as {
    model: NonNullable<SpecParts['model']> & { data_preprocessor: { mean: number[]; std: number[] } };
    test_pipeline: Step[];
  };
  const { mean, std } = fx.model.data_preprocessor;
  return { spec: specFromPipeline({ id: name.replace(/_/g, '-'), pipeline: fx.test_pipeline, mean, std, model: fx.model }), model: fx.model };
}
