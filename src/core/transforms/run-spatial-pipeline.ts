// Runs the spatial part of a test pipeline (Resize, crops, FormatShape + normalisation) on the frames
// SampleFrames picked, already decoded, in frame-index order (clip-major). SampleFrames and decoder
// steps are skipped: they happened before the frames got here.
import { ActionLensError } from '../errors.js';
import type { TensorData } from '../tensor.js';
import { centerCrop } from './center-crop.js';
import type { ChannelOrder } from './channel-order.js';
import { formatShape } from './format-shape.js';
import { type CropBox, type CropView, fullView, type ImageU8, viewToImage } from './image.js';
import type { NormalizeSpec } from './normalize.js';
import { resizeBilinear } from './resize-bilinear.js';
import { keepRatioSize } from './resize-short-side.js';
import { tenCrop } from './ten-crop.js';
import type { TestPipeline } from './test-pipeline.js';
import { findStep } from './test-pipeline.js';
import { threeCrop } from './three-crop.js';

export interface SpatialPipelineOptions {
  /** The model's data preprocessor: mean/std in the model's channel order. */
  normalize: NormalizeSpec;
  channelOrder?: ChannelOrder;
}

/** What one step produced: image count and size, and for crops the box of every output image. */
export interface SpatialStepRecord {
  type: string;
  count: number;
  /** [height, width], as MMAction2's `img_shape`. */
  imgShape: [number, number];
  cropBoxes?: CropBox[];
}

export interface SpatialPipelineResult {
  tensor: TensorData;
  steps: SpatialStepRecord[];
}

/** Frames as plain images: views are materialised only when a step after a crop needs pixels. */
function asImages(state: ImageU8[] | CropView[]): ImageU8[] {
  return state.map((item) => ('box' in item ? viewToImage(item) : item));
}

function shapeOf(state: ImageU8[] | CropView[]): [number, number] {
  const first = state[0]!;
  if ('box' in first) return [first.box[3] - first.box[1], first.box[2] - first.box[0]];
  return [first.height, first.width];
}

export function runSpatialPipeline(pipeline: TestPipeline, frames: readonly ImageU8[], options: SpatialPipelineOptions): SpatialPipelineResult {
  if (frames.length === 0) throw new ActionLensError('AL_ERR_INVALID_SETTINGS', 'runSpatialPipeline: no frames given');
  const format = findStep(pipeline, 'FormatShape');
  if (!format) throw new ActionLensError('AL_ERR_INVALID_SETTINGS', 'test_pipeline has no FormatShape step', { hint: "Add { type: 'FormatShape', input_format: 'NCHW' | 'NCTHW' }." });
  const clipLen = findStep(pipeline, 'SampleFrames')?.clip_len ?? 1;

  let state: ImageU8[] | CropView[] = [...frames];
  const steps: SpatialStepRecord[] = [];
  for (const step of pipeline) {
    switch (step.type) {
      case 'Resize': {
        state = asImages(state).map((image) => {
          const size = step.keep_ratio ? keepRatioSize(image.width, image.height, step.scale) : { width: step.scale[0], height: step.scale[1] };
          return resizeBilinear(image, size.width, size.height);
        });
        break;
      }
      case 'CenterCrop':
        state = centerCrop(asImages(state), step.crop_size);
        break;
      case 'ThreeCrop':
        state = threeCrop(asImages(state), step.crop_size);
        break;
      case 'TenCrop':
        state = tenCrop(asImages(state), step.crop_size);
        break;
      default:
        continue; // SampleFrames, decoders, FormatShape (last, below), packing
    }
    const record: SpatialStepRecord = { type: step.type, count: state.length, imgShape: shapeOf(state) };
    if (step.type !== 'Resize') record.cropBoxes = (state as CropView[]).map((v) => v.box);
    steps.push(record);
  }

  const views = state.map((item) => ('box' in item ? item : fullView(item)));
  const tensor = formatShape(views, { inputFormat: format.input_format, clipLen, normalize: options.normalize, channelOrder: options.channelOrder });
  steps.push({ type: 'FormatShape', count: tensor.dims[0]!, imgShape: shapeOf(state) });
  return { tensor, steps };
}
