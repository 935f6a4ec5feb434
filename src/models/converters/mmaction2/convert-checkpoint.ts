// MMAction2 checkpoint (.pth) -> ONNX: read the state dict safely, build the family's graph from
// the spec's config model dict, then load strictly (every key used, every shape right).
import { ActionLensError } from '../../../core/errors.js';
import type { ModelSpec } from '../../spec.js';
import { extractStateDict, readCheckpoint } from '../pth/index.js';
import { createCheckpointSource } from './checkpoint-source.js';
import { MMACTION2_BACKBONES } from './families.js';
import type { Mmaction2ModelDict, RecognizerBuilder } from './types.js';

/** Part of the ONNX cache key: bump it whenever the graphs this converter writes change. */
export const MMACTION2_CONVERTER_VERSION = 'mmaction2-pth-1';

export interface ConvertedCheckpoint {
  /** One buffer, made from onnxChunks on first read. */
  readonly onnx: Uint8Array;
  /** The ONNX as chunks sharing the weights' memory: write these out rather than `onnx`. */
  readonly onnxChunks: readonly Uint8Array[];
  /** [V, ...viewShape]: the `input` the graph takes. */
  viewShape: number[];
  numClasses: number;
  /** Where the state dict sat in the checkpoint (OpenMMLab files use 'state_dict'). */
  stateDictSource: 'state_dict' | 'model' | 'root';
}

/** Converts an MMAction2 checkpoint for `spec` (which must carry the `mmaction2` config block). */
export function convertMmaction2Checkpoint(bytes: Uint8Array, spec: ModelSpec): Uint8Array {
  return convertMmaction2CheckpointDetailed(bytes, spec).onnx;
}

export interface ConvertOptions {
  /**
   * The caller hands the checkpoint bytes over (a buffer it read for this call only): conv weights
   * are folded in place inside them, so the conversion holds the weights once. The bytes are
   * unusable afterwards.
   */
  consumeInput?: boolean;
}

export function convertMmaction2CheckpointDetailed(bytes: Uint8Array, spec: ModelSpec, options: ConvertOptions = {}): ConvertedCheckpoint {
  const model = modelDictOf(spec);
  const build = builderFor(model.backbone.type);
  const viewShape = viewShapeOf(spec, model);

  const stateDict = extractStateDict(readCheckpoint(bytes).root);
  const source = createCheckpointSource(stateDict, { ownsBytes: options.consumeInput === true });
  const built = build(model, source, { viewShape });
  // PyTorch names the module class in "Error(s) in loading state_dict for Recognizer2D".
  source.assertLoadable(model.type);
  if (built.numClasses !== spec.num_classes) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `The built graph has ${built.numClasses} classes but spec '${spec.id}' has num_classes=${spec.num_classes}.`, {
      hint: 'Set cls_head.num_classes in the config model dict to the spec num_classes.',
    });
  }
  return {
    get onnx() {
      return built.onnx;
    },
    onnxChunks: built.onnxChunks,
    viewShape,
    numClasses: built.numClasses,
    stateDictSource: stateDict.source,
  };
}

function modelDictOf(spec: ModelSpec): Mmaction2ModelDict {
  if (!spec.mmaction2) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Model spec '${spec.id}' uses converter 'mmaction2-pth' but has no 'mmaction2' block.`, {
      hint: 'Add mmaction2: { model: <the config model dict>, test_pipeline: [...] } to the spec.',
    });
  }
  // zod's loose objects carry every config key; structuredClone so builders cannot touch the spec.
  return structuredClone(spec.mmaction2.model) as Mmaction2ModelDict;
}

export function builderFor(backboneType: string): RecognizerBuilder {
  const build = MMACTION2_BACKBONES[backboneType];
  if (!build) {
    throw new ActionLensError(
      'AL_ERR_CONVERSION_FAILED',
      `backbone.type '${backboneType}' has no converter. Supported: ${Object.keys(MMACTION2_BACKBONES).join(', ')}.`,
      { hint: 'Use a config whose backbone is one of the supported MMAction2 families.' },
    );
  }
  return build;
}

/** One view without the views axis: 2D [segments, 3, H, W], 3D [3, clip_len, H, W]. */
export function viewShapeOf(spec: ModelSpec, model: Pick<Mmaction2ModelDict, 'type'>): number[] {
  const input = spec.input;
  if (input.layout === 'NTHWC-stream') {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Spec '${spec.id}': input.layout 'NTHWC-stream' is not an MMAction2 layout; use 'NCHW-segments' or 'NCTHW-clip'.`);
  }
  const expectedLayout = model.type === 'Recognizer2D' ? 'NCHW-segments' : model.type === 'Recognizer3D' ? 'NCTHW-clip' : undefined;
  if (expectedLayout === undefined) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `model.type '${model.type}' is not supported; expected 'Recognizer2D' or 'Recognizer3D'.`);
  }
  if (input.layout !== expectedLayout) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Spec '${spec.id}': input.layout '${input.layout}' does not fit a ${model.type}; expected '${expectedLayout}'.`);
  }
  const [height, width] = input.crop ? [input.crop.size, input.crop.size] : input.size ? [input.size.height, input.size.width] : [];
  if (height === undefined || width === undefined) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Spec '${spec.id}' gives short_side without crop, so the view size is unknown.`, {
      hint: 'Add input.crop {size, mode} (or a fixed input.size) so the graph input has a fixed height and width.',
    });
  }
  return input.layout === 'NCHW-segments'
    ? [input.num_clips, 3, height, width] // [segments, C, H, W]
    : [3, input.clip_len, height, width]; // [C, T, H, W]
}
