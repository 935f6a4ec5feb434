// The "precision" setting: fp32, or int8 (clip models run a statically quantized copy, docs/int8.md).
// What int8 does depends on the model and on how the server calibrates, so the help says which.
import { RuntimeSettingsSchema } from '../../../src/core/settings/schema.js';
import type { Precision } from './settings-file.js';

/** The values the config schema accepts, in its order (fp32 first: the default). */
export const PRECISIONS: readonly Precision[] = RuntimeSettingsSchema.shape.precision.options;

export const PRECISION_LABELS: Record<Precision, string> = {
  fp32: 'fp32 (float)',
  int8: 'int8 (quantized)',
};

/**
 * One or two sentences under the select. `modelKind` is the chosen model's (undefined while
 * unknown); `calibrationVideos` is how many videos the server's runtime.calibration lists.
 */
export function precisionHelp(modelKind: 'stream' | 'clip' | undefined, calibrationVideos: number): string {
  const calibration =
    calibrationVideos > 0
      ? `the server's ${calibrationVideos} calibration video${calibrationVideos === 1 ? '' : 's'}`
      : 'the first video analysed, unless the server sets calibration videos';
  const clip = `int8 clip models: faster on CPUs with VNNI, slightly less accurate; calibrated on ${calibration}.`;
  const stream = 'Stream models (MoViNet) already are int8.';
  return modelKind === 'stream' ? `${stream} ${clip}` : `${clip} ${stream}`;
}
