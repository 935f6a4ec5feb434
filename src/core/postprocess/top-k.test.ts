import { describe, expect, it } from 'vitest';
import { argmax, topK } from './top-k.js';

/** Small deterministic PRNG (mulberry32) so the random cases are reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('topK', () => {
  it('lists the k best, best first, with labels', () => {
    const got = topK(Float32Array.of(0.1, 0.5, 0.2, 0.15, 0.05), 3, 0, ['a', 'b', 'c', 'd', 'e']);
    expect(got.map((g) => g.label)).toEqual(['b', 'c', 'd']);
    expect(got.map((g) => g.index)).toEqual([1, 2, 3]);
    expect(got[0].score).toBeCloseTo(0.5, 7);
  });

  it('breaks ties by the lower index, even when the tie is at the cut', () => {
    expect(topK([0.2, 0.3, 0.3, 0.2, 0.3], 2, 0).map((g) => g.index)).toEqual([1, 2]);
    expect(topK([0.2, 0.3, 0.3, 0.2, 0.3], 4, 0).map((g) => g.index)).toEqual([1, 2, 4, 0]);
  });

  it('applies the threshold inclusively and never lists NaN', () => {
    expect(topK([0.1, 0.3, NaN, 0.29999], 5, 0.3).map((g) => g.index)).toEqual([1]);
    expect(topK([0.1, 0.2], 5, 0.5)).toEqual([]);
  });

  it('returns all classes when k exceeds them, and nothing for k = 0', () => {
    expect(topK([0.5, 0.25, 0.25], 10, 0).map((g) => g.index)).toEqual([0, 1, 2]);
    expect(topK([0.5], 0, 0)).toEqual([]);
    expect(topK([0.5, 0.5], 1, 0)[0].label).toBe('class_0');
  });

  it('agrees with a full sort on random scores with many ties', () => {
    const next = rng(7);
    for (let trial = 0; trial < 50; trial++) {
      const scores = Array.from({ length: 600 }, () => Math.round(next() * 50) / 50); // coarse: ties everywhere
      const k = 1 + Math.floor(next() * 20);
      const threshold = next() * 0.5;
      const expected = scores
        .map((score, index) => ({ score, index }))
        .filter((s) => s.score >= threshold)
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, k)
        .map((s) => s.index);
      expect(topK(scores, k, threshold).map((g) => g.index)).toEqual(expected);
    }
  });
});

describe('argmax', () => {
  it('takes the lower index on ties and skips NaN', () => {
    expect(argmax([0.1, 0.4, 0.4])).toBe(1);
    expect(argmax([NaN, 0.2, 0.1])).toBe(1);
    expect(argmax([])).toBe(-1);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
  });
});
