// What a clip model (MMAction2 TSN/TSM/X3D/...) wants as input, read from its ModelSpec, and the
// pure steps that turn decoded frames into that input: per-frame resize, then crops, normalisation
// and layout for a set of views. Used by both the whole-video protocol and the timeline windows.
import { ActionLensError } from '../core/errors.js';
import type { SampleFramesOptions } from '../core/sampling/index.js';
import type { TensorData } from '../core/tensor.js';
import {
  centerCrop,
  formatShape,
  fullView,
  resizeBilinear,
  resizeShortSide,
  tenCrop,
  threeCrop,
  type ChannelOrder,
  type CropView,
  type ImageU8,
  type NormalizeSpec,
} from '../core/transforms/index.js';
import type { ModelSpec } from '../models/spec.js';

export type ClipLayout = 'NCHW-segments' | 'NCTHW-clip';
export type CropMode = 'center' | 'three' | 'ten';

export interface ClipGeometry {
  layout: ClipLayout;
  /** SampleFrames settings of the test protocol (the video's frame count comes later). */
  sampling: Omit<SampleFramesOptions, 'totalFrames' | 'avgFps'>;
  resize: { kind: 'short-side'; size: number } | { kind: 'exact'; width: number; height: number };
  /** Absent for models fed the whole resized frame. */
  crop?: { size: number; mode: CropMode };
  normalize: NormalizeSpec;
  channelOrder: ChannelOrder;
  /** One view without the views axis: 2D [segments, 3, H, W], 3D [3, clip_len, H, W]. */
  viewShape: number[];
  /** Frames one view holds: segments (2D) or clip_len (3D). */
  framesPerView: number;
}

/** SampleFrames keys the spec's input block does not carry; read from the MMAction2 test pipeline. */
function pipelineSampling(spec: ModelSpec): Pick<SampleFramesOptions, 'twiceSample' | 'outOfBoundOpt'> {
  const step = spec.mmaction2?.test_pipeline.find((s) => s.type === 'SampleFrames') as Record<string, unknown> | undefined;
  const twice = step?.twice_sample;
  const outOfBound = step?.out_of_bound_opt;
  return {
    twiceSample: twice === true,
    outOfBoundOpt: outOfBound === 'repeat_last' ? 'repeat_last' : 'loop',
  };
}

export function clipGeometry(spec: ModelSpec): ClipGeometry {
  const input = spec.input;
  if (input.layout === 'NTHWC-stream') {
    throw new ActionLensError('AL_ERR_INTERNAL', `model ${spec.id} is a stream model (layout 'NTHWC-stream'), not a clip model`);
  }
  if (input.short_side !== undefined && input.crop === undefined) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `Model spec '${spec.id}': input.short_side = ${input.short_side} needs input.crop {size, mode} so views have a fixed size.`, {
      hint: 'Add input.crop (the test pipeline\'s CenterCrop / ThreeCrop / TenCrop size), or give input.size instead.',
    });
  }
  const resize = input.short_side !== undefined
    ? { kind: 'short-side' as const, size: input.short_side }
    : { kind: 'exact' as const, width: input.size!.width, height: input.size!.height };
  const [height, width] = input.crop ? [input.crop.size, input.crop.size] : [input.size!.height, input.size!.width];
  // (v * s - m) / d = (v - m / s) / (d / s): the value scale folds into mean and std.
  const s = input.value_scale;
  const normalize = { mean: input.mean.map((m) => m / s), std: input.std.map((d) => d / s) };
  const segments = input.layout === 'NCHW-segments';
  return {
    layout: input.layout,
    sampling: {
      clipLen: input.clip_len,
      frameInterval: input.frame_interval,
      numClips: input.num_clips,
      targetFps: input.target_fps ?? null,
      ...pipelineSampling(spec),
    },
    resize,
    crop: input.crop,
    normalize,
    channelOrder: input.channel_order === 'bgr' ? 'BGR' : 'RGB',
    viewShape: segments ? [input.num_clips, 3, height, width] : [3, input.clip_len, height, width],
    framesPerView: segments ? input.num_clips : input.clip_len,
  };
}

/** The per-frame part of the pipeline (MMAction2 Resize, cv2-exact): done once per decoded frame. */
export function resizeFrame(frame: ImageU8, geometry: ClipGeometry): ImageU8 {
  return geometry.resize.kind === 'short-side'
    ? resizeShortSide([frame], geometry.resize.size)[0]!
    : resizeBilinear(frame, geometry.resize.width, geometry.resize.height);
}

/** Crops of the resized frames, crop-major (every frame of crop 0, then crop 1...), as MMAction2 orders them. */
export function cropViews(frames: readonly ImageU8[], geometry: ClipGeometry, mode: CropMode = geometry.crop?.mode ?? 'center'): CropView[] {
  const crop = geometry.crop;
  if (!crop) return frames.map(fullView);
  switch (mode) {
    case 'center':
      return centerCrop(frames, crop.size);
    case 'three':
      return threeCrop(frames, crop.size);
    case 'ten':
      return tenCrop(frames, crop.size);
  }
}

/** Crop images -> the model input for `crops.length / framesPerView` views: [V, ...viewShape]. */
export function formatViews(crops: readonly CropView[], geometry: ClipGeometry): TensorData {
  const segments = geometry.layout === 'NCHW-segments';
  if (crops.length === 0 || crops.length % geometry.framesPerView !== 0) {
    throw new ActionLensError('AL_ERR_INTERNAL', `formatViews: ${crops.length} crop images do not make whole views of ${geometry.framesPerView} frames`);
  }
  const tensor = formatShape(crops, {
    inputFormat: segments ? 'NCHW' : 'NCTHW',
    clipLen: geometry.sampling.clipLen,
    normalize: geometry.normalize,
    channelOrder: geometry.channelOrder,
  });
  const views = crops.length / geometry.framesPerView;
  return { ...tensor, dims: [views, ...geometry.viewShape] }; // 2D: [N, C, H, W] -> [V, S, C, H, W]; 3D unchanged
}
