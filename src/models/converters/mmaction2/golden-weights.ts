// The deterministic weight generator of the golden fixtures (MMAction2 state dicts filled without
// randomness): FNV-1a of the key, murmur3 fmix32 of (hash XOR i*2654435761), exact in 32-bit integer
// arithmetic. Any architecture gets the same weights here as in PyTorch, so a converted graph can be
// checked against MMAction2's logits, and benches and smoke tests need no download. Platform-free.
// Synthetic weights: the labels they predict mean nothing; real models load their official checkpoints.

import { createDeclarationLog, type WeightSource } from './weight-source.js';

export type GoldenRule = 'num_batches_tracked' | 'running_mean' | 'running_var' | 'weight_fanin' | 'weight_gamma' | 'bias' | 'other';

export function fnv1a32(key: string): number {
  let h = 2166136261;
  for (const byte of new TextEncoder().encode(key)) {
    h ^= byte;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

/** u in [0, 1) for element i of the tensor whose key hashed to h. */
export function uniformAt(h: number, i: number): number {
  let z = (h ^ Math.imul(i >>> 0, 2654435761)) >>> 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x85ebca6b) >>> 0;
  z ^= z >>> 13;
  z = Math.imul(z, 0xc2b2ae35) >>> 0;
  z ^= z >>> 16;
  return (z >>> 0) / 4294967296;
}

export function ruleFor(key: string, shape: readonly number[]): GoldenRule {
  if (key.endsWith('num_batches_tracked')) return 'num_batches_tracked';
  if (key.endsWith('running_mean')) return 'running_mean';
  if (key.endsWith('running_var')) return 'running_var';
  if (key.endsWith('weight')) return shape.length >= 2 ? 'weight_fanin' : 'weight_gamma';
  if (key.endsWith('bias')) return 'bias';
  return 'other';
}

/** Float32 values of a float tensor (num_batches_tracked is int64 zeros: use zeros for it). */
export function goldenTensor(key: string, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const h = fnv1a32(key);
  const rule = ruleFor(key, shape);
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  const bound = Math.sqrt(3.0 / fanIn);
  for (let i = 0; i < n; i++) {
    const u = uniformAt(h, i);
    switch (rule) {
      case 'num_batches_tracked':
        out[i] = 0;
        break;
      case 'running_mean':
        out[i] = 0.1 * (2 * u - 1);
        break;
      case 'running_var':
        out[i] = 0.5 + u;
        break;
      case 'weight_fanin':
        out[i] = (2 * u - 1) * bound;
        break;
      case 'weight_gamma':
        out[i] = 0.5 + 0.5 * u;
        break;
      case 'bias':
        out[i] = 0.1 * (2 * u - 1);
        break;
      case 'other':
        out[i] = 0.02 * (2 * u - 1);
        break;
    }
  }
  return out;
}

/** The recognizer input of a fixture: key 'input', (2u-1)*2.0. */
export function goldenInput(shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const h = fnv1a32('input');
  for (let i = 0; i < n; i++) out[i] = (2 * uniformAt(h, i) - 1) * 2.0;
  return out;
}

/**
 * A WeightSource that serves the golden weights for whatever key an architecture asks for, and
 * records the requests (the key list a test compares with a fixture's state dict).
 */
export function createGoldenSource(): WeightSource {
  const log = createDeclarationLog();
  return {
    param(key, shape) {
      log.record(key, shape, 'float32');
      return goldenTensor(key, shape);
    },
    buffer(key, shape, dtype) {
      log.record(key, shape, dtype);
    },
    declared: () => log.entries(),
  };
}
