export type AggregateMethod = 'mean' | 'max';

export interface Aggregator {
  push(probs: Float32Array): void;
  /** [numClasses] the aggregate so far, or null before the first frame. */
  result(): Float32Array | null;
  frames(): number;
}

/**
 * Whole-video scores, computed as frames arrive: 'mean' keeps a float64 running sum,
 * 'max' a running per-class maximum. Memory is one class-sized array.
 */
export function createAggregator(method: AggregateMethod, numClasses: number): Aggregator {
  const acc = new Float64Array(numClasses).fill(method === 'max' ? -Infinity : 0);
  let frames = 0;
  return {
    push(probs) {
      if (method === 'max') {
        for (let c = 0; c < numClasses; c++) if (probs[c] > acc[c]) acc[c] = probs[c];
      } else {
        for (let c = 0; c < numClasses; c++) acc[c] += probs[c];
      }
      frames++;
    },
    result() {
      if (frames === 0) return null;
      const out = new Float32Array(numClasses);
      for (let c = 0; c < numClasses; c++) out[c] = method === 'max' ? acc[c] : acc[c] / frames;
      return out;
    },
    frames: () => frames,
  };
}
