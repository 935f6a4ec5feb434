import { ActionLensError } from '../errors.js';

export type SmoothingMethod = 'none' | 'moving_average' | 'gaussian';

export interface SmoothingOptions {
  method: SmoothingMethod;
  /** Gaussian standard deviation in seconds (method 'gaussian'). */
  sigma_sec: number;
  /** Full width in seconds of the moving average (method 'moving_average'). */
  width_sec: number;
}

/**
 * Kernel taps over window offsets -radius..radius, normalised to sum to 1.
 * - none: [1].
 * - moving_average: equal weights on every window whose centre lies within width_sec / 2 of this
 *   window's centre (|d| * windowSec <= width_sec / 2), so width 3 s on 1 s windows averages 3 windows.
 * - gaussian: exp(-(d * windowSec)^2 / (2 sigma^2)) for |d| <= ceil(3 sigma / windowSec).
 */
export function smoothingKernel(options: SmoothingOptions, windowSec: number): Float64Array {
  const eps = 1e-9;
  if (options.method === 'none') return Float64Array.of(1);
  if (options.method === 'moving_average') {
    if (!(options.width_sec > 0)) throw badParam('width_sec', options.width_sec);
    const radius = Math.floor(options.width_sec / 2 / windowSec + eps);
    return new Float64Array(2 * radius + 1).fill(1 / (2 * radius + 1));
  }
  if (!(options.sigma_sec > 0)) throw badParam('sigma_sec', options.sigma_sec);
  const sigma = options.sigma_sec / windowSec; // in windows
  const radius = Math.ceil(3 * sigma - eps);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let d = -radius; d <= radius; d++) {
    const w = Math.exp(-(d * d) / (2 * sigma * sigma));
    taps[d + radius] = w;
    sum += w;
  }
  for (let i = 0; i < taps.length; i++) taps[i] /= sum;
  return taps;
}

function badParam(name: string, value: number): ActionLensError {
  return new ActionLensError('AL_ERR_INVALID_SETTINGS', `analysis.smoothing.${name}: expected a number > 0, got ${value}.`);
}

/**
 * Smooths a window series. `series[k]` is window k's mean probabilities, or null when no frame
 * fell in it. Each output is the kernel-weighted mean of the non-null windows within reach,
 * with the weights renormalised over those windows, so the edges of the video and gaps are not
 * pulled towards zero. An output is null only when no non-null window is within reach.
 */
export function smoothSeries(
  series: readonly (Float32Array | null)[],
  kernel: Float64Array,
): (Float32Array | null)[] {
  const radius = (kernel.length - 1) / 2;
  const numClasses = series.find((s) => s !== null)?.length ?? 0;
  const acc = new Float64Array(numClasses);
  return series.map((_, k) => {
    acc.fill(0);
    let weight = 0;
    for (let d = -radius; d <= radius; d++) {
      const src = series[k + d];
      if (!src) continue; // outside the series, or an empty window
      const w = kernel[d + radius];
      weight += w;
      for (let c = 0; c < numClasses; c++) acc[c] += w * src[c];
    }
    if (weight === 0) return null;
    const out = new Float32Array(numClasses);
    for (let c = 0; c < numClasses; c++) out[c] = acc[c] / weight;
    return out;
  });
}
