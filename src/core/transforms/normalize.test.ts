import { describe, expect, it } from 'vitest';
import { normalizationTable, normalizeImage } from './normalize.js';

const IMAGENET = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] };

describe('normalisation (float32 (x - mean) / std)', () => {
  it('rounds like torch float32: subtract in float32, then divide', () => {
    const table = normalizationTable(IMAGENET);
    const f = Math.fround;
    for (const [c, v] of [[0, 0], [1, 117], [2, 255]] as const) {
      expect(table[c * 256 + v]).toBe(f(f(v - f(IMAGENET.mean[c]!)) / f(IMAGENET.std[c]!)));
    }
    // one value from the TSN fixture's samples: (0 - 123.675) / 58.395 in float32
    expect(table[0]).toBe(-2.1179039478302);
  });

  it('normalises every channel of an image with its own mean/std', () => {
    const out = normalizeImage({ width: 1, height: 1, data: new Uint8Array([124, 116, 104]) }, { mean: [124, 116, 103], std: [1, 2, 0.5] });
    expect(Array.from(out)).toEqual([0, 0, 2]);
  });

  it('rejects std <= 0 and wrong lengths, naming the field', () => {
    expect(() => normalizationTable({ mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(/every 'std' value must be > 0, got \[1,0,1\]/);
    expect(() => normalizationTable({ mean: [0, 0], std: [1, 1, 1] })).toThrow(/'mean' must be 3 finite numbers/);
  });
});
