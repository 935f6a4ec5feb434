import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { softmax } from './softmax.js';
import { topK } from './top-k.js';

const shared = path.resolve(process.cwd(), '../shared');

function sum(a: Float32Array): number {
  return a.reduce((s, v) => s + v, 0);
}

describe('softmax', () => {
  it('matches the hand computation for [1, 2, 3]', () => {
    const z = Math.E + Math.E ** 2 + Math.E ** 3;
    const p = softmax(Float32Array.of(1, 2, 3));
    expect(p[0]).toBeCloseTo(Math.E / z, 7);
    expect(p[1]).toBeCloseTo(Math.E ** 2 / z, 7);
    expect(p[2]).toBeCloseTo(Math.E ** 3 / z, 7);
  });

  it('does not overflow on large logits and is shift invariant', () => {
    const big = softmax(Float32Array.of(1000, 1001, 999));
    const small = softmax(Float32Array.of(1, 2, 0));
    for (let i = 0; i < 3; i++) expect(big[i]).toBeCloseTo(small[i], 7);
    expect(sum(big)).toBeCloseTo(1, 6);
  });

  it('gives -Infinity logits zero probability', () => {
    const p = softmax(Float32Array.of(-Infinity, 0, 0));
    expect(Array.from(p)).toEqual([0, 0.5, 0.5]);
  });

  it('rejects NaN, +Infinity, all -Infinity and empty input with AL_ERR_BAD_MODEL_OUTPUT', () => {
    for (const bad of [[0, NaN], [Infinity, 1], [-Infinity, -Infinity], []]) {
      expect(() => softmax(Float32Array.from(bad))).toThrow(expect.objectContaining({ code: 'AL_ERR_BAD_MODEL_OUTPUT' }));
    }
    expect(() => softmax(Float32Array.of(1, NaN))).toThrow(/logits\[1\] is NaN/);
  });

  it('reproduces the reference TFLite top-5 probabilities from its MoViNet logits', () => {
    const fixture = JSON.parse(readFileSync(path.join(shared, 'fixtures/movinet/carving_ice_fps5.json'), 'utf8')) as {
      full_logits: Record<string, number[]>;
      per_frame: { frame: number; top5: { index: number; prob: number }[] }[];
    };
    for (const [frame, logits] of Object.entries(fixture.full_logits)) {
      const probs = softmax(Float32Array.from(logits));
      expect(probs.length).toBe(600);
      expect(sum(probs)).toBeCloseTo(1, 5);
      const expected = fixture.per_frame.find((f) => f.frame === Number(frame))!.top5;
      const got = topK(probs, 5, 0);
      expect(got.map((g) => g.index)).toEqual(expected.map((e) => e.index));
      got.forEach((g, i) => expect(g.score).toBeCloseTo(expected[i].prob, 4));
    }
  });
});
