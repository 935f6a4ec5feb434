// average_clip against MMAction2: the golden fixtures hold two views' logits and the 'prob' average
// MMAction2 computed from them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { averageViews, softmax, viewAverageToProbs } from '../../src/core/postprocess/index.js';

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/mmaction2');

interface TwoViewFixture {
  two_view: {
    logits: { shape: [number, number]; values: number[][] };
    average_clip_prob: { num_segs: number; values: number[][] };
  };
}

function twoView(name: string): TwoViewFixture['two_view'] {
  return (JSON.parse(readFileSync(resolve(FIXTURES, `${name}.json`), 'utf8')) as TwoViewFixture).two_view;
}

describe('averageViews', () => {
  it.each(['tsm_r50_1x1x8', 'x3d_s_13x6x1'])("'prob' equals MMAction2 average_clip on %s two-view logits", (name) => {
    const fx = twoView(name);
    const [views, classes] = fx.logits.shape;
    expect(views).toBe(2);
    const logits = Float32Array.from(fx.logits.values.flat()); // [2, classes]
    const ours = averageViews(logits, classes, 'prob');
    const ref = fx.average_clip_prob.values[0]!;
    expect(ours.length).toBe(ref.length);
    let maxDiff = 0;
    for (let c = 0; c < classes; c++) maxDiff = Math.max(maxDiff, Math.abs(ours[c]! - ref[c]!));
    expect(maxDiff).toBeLessThan(1e-7);
    // The two views differ, so averaging is not the same as taking either view.
    const view0 = softmax(logits.subarray(0, classes));
    expect(Math.max(...view0.map((p, c) => Math.abs(p - ours[c]!)))).toBeGreaterThan(1e-6);
  });

  it("'score' is the mean of the raw scores; its display probabilities are their softmax", () => {
    const fx = twoView('x3d_s_13x6x1');
    const [, classes] = fx.logits.shape;
    const logits = Float32Array.from(fx.logits.values.flat());
    const scores = averageViews(logits, classes, 'score');
    for (const c of [0, 7, classes - 1]) {
      expect(scores[c]).toBeCloseTo((fx.logits.values[0]![c]! + fx.logits.values[1]![c]!) / 2, 6);
    }
    const probs = viewAverageToProbs(scores, 'score');
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(viewAverageToProbs(scores, 'prob')).toBe(scores);
  });

  it('one view: prob = softmax of that view', () => {
    const logits = Float32Array.from([1, 2, 3]);
    expect([...averageViews(logits, 3, 'prob')]).toEqual([...softmax(logits)]);
  });

  it('rejects scores that do not split into whole views, and unknown methods', () => {
    expect(() => averageViews(new Float32Array(7), 3, 'prob')).toThrow(/7 scores do not split into views of 3 classes/);
    expect(() => averageViews(new Float32Array(6), 3, 'median' as 'prob')).toThrow(ActionLensError);
  });
});
