import { describe, expect, it } from 'vitest';
import { createTimelineBuilder, type TimelineOptions } from './timeline-builder.js';

const labels = ['walk', 'run', 'jump', 'sit'];
const base: TimelineOptions = {
  labels,
  topk: 2,
  threshold: 0,
  window_sec: 1,
  smoothing: { method: 'none', sigma_sec: 1, width_sec: 3 },
  aggregate: 'mean',
  events: { enter_score: 0.5, exit_score: 0.3, min_duration_sec: 0 },
};

/** Frames at 4 fps: walk for 2 s, then run for 2 s. */
function pushWalkThenRun(builder: ReturnType<typeof createTimelineBuilder>): void {
  for (let i = 0; i < 16; i++) {
    const t = i / 4;
    builder.push(t, t < 2 ? Float32Array.of(0.7, 0.1, 0.1, 0.1) : Float32Array.of(0.1, 0.6, 0.2, 0.1));
  }
}

describe('createTimelineBuilder', () => {
  it('builds windows, aggregate and events from pushed frames', () => {
    const b = createTimelineBuilder(base);
    pushWalkThenRun(b);
    const r = b.finish(4);
    expect(r.frames).toBe(16);
    expect(r.timeline.map((w) => [w.t_start, w.t_end, w.topk[0].label])).toEqual([
      [0, 1, 'walk'],
      [1, 2, 'walk'],
      [2, 3, 'run'],
      [3, 4, 'run'],
    ]);
    expect(r.timeline[0].topk).toHaveLength(2);
    expect(r.timeline[0].topk[0]).toEqual({ label: 'walk', index: 0, score: 0.7 });
    expect(r.aggregate.method).toBe('mean');
    expect(r.aggregate.topk.map((s) => [s.label, s.score])).toEqual([
      ['walk', 0.4],
      ['run', 0.35],
    ]);
    expect(r.events).toEqual([
      { label: 'walk', index: 0, start: 0, end: 2, peak: 0.7 },
      { label: 'run', index: 1, start: 2, end: 4, peak: 0.6 },
    ]);
  });

  it('uses the smoothed series for the timeline and the events', () => {
    const b = createTimelineBuilder({ ...base, smoothing: { method: 'moving_average', sigma_sec: 1, width_sec: 3 } });
    pushWalkThenRun(b);
    const r = b.finish(4);
    // Window 1 averages windows 0..2: walk (0.7 + 0.7 + 0.1) / 3 = 0.5.
    expect(r.timeline[1].topk[0]).toEqual({ label: 'walk', index: 0, score: 0.5 });
    expect(r.timeline[2].topk[0].label).toBe('run');
    expect(r.timeline[2].topk[0].score).toBeCloseTo((0.1 + 0.6 + 0.6) / 3, 5);
  });

  it('gives byte-identical JSON for the same pushes and rounds scores to 6 significant digits', () => {
    const run = (): string => {
      const b = createTimelineBuilder({ ...base, smoothing: { method: 'gaussian', sigma_sec: 0.7, width_sec: 3 } });
      for (let i = 0; i < 40; i++) {
        const a = (Math.sin(i * 0.37) + 1) / 3;
        b.push(i / 7, Float32Array.of(a, 0.5 - a / 2, 0.25, 0.25 - a / 2));
      }
      return JSON.stringify(b.finish(40 / 7));
    };
    const first = run();
    expect(run()).toBe(first);
    const scores = [...first.matchAll(/"(?:score|peak)":([-0-9.e]+)/g)].map((m) => m[1]);
    expect(scores.length).toBeGreaterThan(10);
    for (const s of scores) expect(s.replace(/^0\.0*|e.*$|\./g, '').length).toBeLessThanOrEqual(6);
  });

  it('applies the threshold and keeps windows without frames as empty', () => {
    const b = createTimelineBuilder({ ...base, threshold: 0.5 });
    b.push(0.2, Float32Array.of(0.6, 0.4, 0, 0));
    b.push(2.5, Float32Array.of(0.3, 0.3, 0.2, 0.2)); // nothing reaches 0.5
    const r = b.finish(3);
    expect(r.timeline.map((w) => w.topk.map((s) => s.label))).toEqual([['walk'], [], []]);
  });

  it('clips the last window to the duration and extends the timeline to cover it', () => {
    const b = createTimelineBuilder({ ...base, window_sec: 0.4 });
    b.push(0, Float32Array.of(1, 0, 0, 0));
    const r = b.finish(1.1);
    expect(r.timeline.map((w) => [w.t_start, w.t_end])).toEqual([[0, 0.4], [0.4, 0.8], [0.8, 1.1]]);
    expect(createTimelineBuilder(base).finish(0).timeline).toEqual([]);
  });

  it('aggregates with max when asked', () => {
    const b = createTimelineBuilder({ ...base, aggregate: 'max' });
    pushWalkThenRun(b);
    expect(b.finish(4).aggregate).toEqual({
      method: 'max',
      topk: [
        { label: 'walk', index: 0, score: 0.7 },
        { label: 'run', index: 1, score: 0.6 },
      ],
    });
  });

  it('rejects pushes after finish and probability vectors of the wrong length', () => {
    const b = createTimelineBuilder(base);
    expect(() => b.push(0, Float32Array.of(1, 0))).toThrow(/expected 4 class scores per frame, got 2/);
    b.finish(0);
    expect(() => b.push(0, new Float32Array(4))).toThrow(/after finish/);
    expect(() => createTimelineBuilder({ ...base, labels: [] })).toThrow(/labels is empty/);
  });
});
