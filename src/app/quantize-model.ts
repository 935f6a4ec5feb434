// ensureQuantized: the int8 copy of a converted clip model, calibrated on real videos and cached
// under <cache>/onnx/<fp32 onnx sha256>-<quantizer version>-<calibration key>.onnx. Calibration
// feeds the views of each video (the model's test-protocol sampling, centre crops) through a copy
// of the float32 model that reports each planned value's min/max, then rewrites the graph to QDQ.
// The cache key holds the calibration videos' sha256, so the same videos always give the same model.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { ActionLensError, throwIfAborted } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { onnxPath } from '../models/store/cache-dir.js';
import { ensureDerivedFile } from '../models/store/derived-file.js';
import { decodeModel, encodeModel, encodeModelChunks, type OnnxModel } from '../models/converters/onnx/index.js';
import { buildCalibrationModel, createRangeTracker, insertQdq, planQdq, QUANTIZER_VERSION } from '../models/quantize/index.js';
import type { ModelSpec } from '../models/spec.js';
import { sha256File } from '../io/file-sha256.js';
import { createInferenceSession, type CreateSessionOptions } from '../runtime/session.js';
import { probeVideo } from '../video/index.js';
import { clipGeometry } from './clip-input.js';
import { decodeProtocolFrames, protocolInputChunks } from './clip-protocol.js';

/** Views per calibration video: enough to see each clip of the test protocol's sampling. */
export const DEFAULT_CALIBRATION_VIEWS = 16;

export interface QuantizeOptions {
  spec: ModelSpec;
  fp32OnnxPath: string;
  fp32OnnxSha256: string;
  /** Paths; a sha256 given with one is trusted (the recognizer has just hashed the video it analyses). */
  calibrationVideos: readonly { path: string; sha256?: string }[];
  cacheDir: string;
  tools: { ffmpeg: string; ffprobe: string };
  runtime: CreateSessionOptions;
  maxViewsPerVideo?: number;
  logger: Logger;
  signal?: AbortSignal;
}

export interface QuantizedModel {
  onnxPath: string;
  onnxSha256: string;
  calibration: { name: string; sha256: string }[];
  /** Views the ranges were measured on (0 when the model came from the cache). */
  calibrationViews: number;
  quantizerVersion: string;
}

export async function ensureQuantized(opts: QuantizeOptions): Promise<QuantizedModel> {
  const { spec, logger } = opts;
  if (spec.input.layout === 'NTHWC-stream') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `runtime.precision 'int8' applies to clip models (MMAction2 families); '${spec.id}' is a stream model.`, {
      hint: 'Stream models (MoViNet) are converted from quantized TFLite files and already run int8 weights: set runtime.precision to fp32.',
    });
  }
  if (opts.calibrationVideos.length === 0) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', 'int8 needs at least one calibration video.', {
      hint: 'List videos like the ones you will analyse in runtime.calibration (or --calibration).',
    });
  }
  const calibration: { path: string; name: string; sha256: string }[] = [];
  for (const { path: video, sha256: known } of opts.calibrationVideos) {
    const sha256 = known ?? await sha256File(video, opts.signal).catch((e: unknown) => {
      throw new ActionLensError('AL_ERR_INPUT_NOT_FOUND', `Calibration video ${video} cannot be read: ${(e as Error).message}`, {
        hint: 'Fix the path in runtime.calibration (or --calibration), or leave it empty to calibrate on the video being analysed.',
        cause: e,
      });
    });
    calibration.push({ path: video, name: basename(video), sha256 });
  }
  const maxViews = opts.maxViewsPerVideo ?? DEFAULT_CALIBRATION_VIEWS;
  // Order-free: the same set of videos is the same calibration.
  const calibrationKey = createHash('sha256')
    .update(JSON.stringify({ videos: calibration.map((c) => c.sha256).sort(), maxViews }))
    .digest('hex')
    .slice(0, 16);
  const variant = `${QUANTIZER_VERSION}-${calibrationKey}`;
  const target = onnxPath(opts.cacheDir, opts.fp32OnnxSha256, variant);
  const described = calibration.map(({ name, sha256 }) => ({ name, sha256 }));

  const started = performance.now();
  let views = 0;
  const int8 = await ensureDerivedFile(target, 'cached int8 ONNX is corrupt or partial; quantizing again', logger, async () => {
    const fp32 = decodeModel(new Uint8Array(await readFile(opts.fp32OnnxPath)));
    const plan = planQdq(fp32.graph);
    if (plan.convs.length === 0) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Model '${spec.id}' has no convolution with constant weights to quantize.`, {
        hint: 'Use runtime.precision fp32 for this model.',
      });
    }
    const ranges = await calibrate(fp32, plan.calibrated, calibration, maxViews, opts);
    views = ranges.views;
    logger.info({ model: spec.id, path: target, convs: plan.convs.length, views, ms: Math.round(performance.now() - started) }, 'model quantized to int8');
    return {
      chunks: encodeModelChunks(insertQdq(fp32, plan, ranges.ranges)),
      info: {
        fp32_onnx_sha256: opts.fp32OnnxSha256,
        quantizer_version: QUANTIZER_VERSION,
        calibration: described.map((c) => `${c.name}:${c.sha256}`).join(','),
        calibration_views: String(views),
      },
    };
  });
  return { onnxPath: int8.path, onnxSha256: int8.sha256, calibration: described, calibrationViews: views, quantizerVersion: QUANTIZER_VERSION };
}

/** Min/max of each value over the views of the calibration videos, through a reducing copy of the model. */
async function calibrate(fp32: OnnxModel, values: readonly string[], videos: readonly { path: string }[], maxViews: number, opts: QuantizeOptions) {
  const { spec, logger } = opts;
  const calibrationModel = buildCalibrationModel(fp32, values);
  const tracker = createRangeTracker(calibrationModel.outputs);
  const wanted = calibrationModel.outputs.flatMap((o) => [o.min, o.max]);
  const session = await createInferenceSession(encodeModel(calibrationModel.model), opts.runtime);
  let views = 0;
  try {
    const geometry = clipGeometry(spec);
    // Centre crops only: other crops of the same frames add little range information.
    const centre = { ...geometry, ...(geometry.crop ? { crop: { ...geometry.crop, mode: 'center' as const } } : {}) };
    for (const video of videos) {
      throwIfAborted(opts.signal);
      const info = await probeVideo(video.path, { tools: opts.tools, signal: opts.signal });
      const { frames } = await decodeProtocolFrames({ videoPath: video.path, info, geometry: centre, ffmpeg: opts.tools.ffmpeg, logger, signal: opts.signal });
      let taken = 0;
      for (const chunk of protocolInputChunks(frames, centre, Math.min(maxViews, 8))) {
        if (taken >= maxViews) break;
        throwIfAborted(opts.signal);
        const out = await session.run({ input: chunk }, wanted);
        tracker.add((name) => Number(out[name]!.data[0]));
        taken += chunk.dims[0]!;
      }
      views += taken;
    }
  } finally {
    await session.close();
  }
  return { ranges: tracker.ranges(), views };
}