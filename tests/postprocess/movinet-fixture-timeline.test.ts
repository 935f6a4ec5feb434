// The timeline builder on real per-frame scores: the official TFLite MoViNet-A0 outputs recorded
// in ../shared/fixtures/movinet (frames decoded at 5 fps). The fixture keeps each frame's top-5;
// the remaining probability is spread evenly over the other classes, which cannot change the ranking.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTimelineBuilder, type TimelineOptions } from '../../src/core/postprocess/index.js';

const shared = path.resolve(process.cwd(), '../shared');
const labels = readFileSync(path.join(shared, 'labels/kinetics600.txt'), 'utf8').trim().split('\n');

interface Fixture {
  num_frames: number;
  per_frame: { frame: number; top5: { index: number; label: string; prob: number }[] }[];
  final_top5: { index: number; label: string }[];
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(path.join(shared, 'fixtures/movinet', name), 'utf8')) as Fixture;
}

function frameProbs(top5: Fixture['per_frame'][number]['top5']): Float32Array {
  const probs = new Float32Array(labels.length);
  const rest = 1 - top5.reduce((s, p) => s + p.prob, 0);
  probs.fill(rest / (labels.length - top5.length));
  for (const p of top5) probs[p.index] = p.prob;
  return probs;
}

const options: TimelineOptions = {
  labels,
  topk: 5,
  threshold: 0,
  window_sec: 1,
  smoothing: { method: 'none', sigma_sec: 1, width_sec: 3 },
  aggregate: 'mean',
  events: { enter_score: 0.3, exit_score: 0.2, min_duration_sec: 1 },
};

function analyse(fixture: Fixture, opts: TimelineOptions) {
  const b = createTimelineBuilder(opts);
  for (const f of fixture.per_frame) b.push(f.frame / 5, frameProbs(f.top5));
  return b.finish(fixture.num_frames / 5);
}

describe('timeline on recorded MoViNet scores', () => {
  it('labels match the fixture', () => {
    const f = load('carving_ice_fps5.json');
    for (const p of f.per_frame[0].top5) expect(labels[p.index]).toBe(p.label);
  });

  it('carving_ice: the stream warms up on another label, then an event of "carving ice" runs to the end', () => {
    const f = load('carving_ice_fps5.json');
    const r = analyse(f, options);
    expect(r.frames).toBe(f.num_frames);
    expect(r.timeline).toHaveLength(Math.ceil(f.num_frames / 5));
    const top1 = r.timeline.map((w) => w.topk[0].label);
    expect(top1[0]).toBe(f.per_frame[0].top5[0].label); // first 4 of 5 frames in window 0
    expect(top1.slice(1).every((l) => l === 'carving ice')).toBe(true);
    const last = r.events[r.events.length - 1];
    expect(last).toMatchObject({ label: 'carving ice', start: 1, end: f.num_frames / 5 });
    expect(last.peak).toBeGreaterThan(0.9);
    expect(r.aggregate.topk[0].label).toBe(f.final_top5[0].label);
  });

  it('gaussian smoothing keeps the same final verdict and one long event on arm_wrestling', () => {
    const f = load('arm_wrestling_fps5.json');
    const r = analyse(f, { ...options, smoothing: { method: 'gaussian', sigma_sec: 1, width_sec: 3 } });
    expect(r.events.map((e) => [e.label, e.start, e.end])).toEqual([['arm wrestling', 0, f.num_frames / 5]]);
    expect(r.aggregate.topk[0].label).toBe('arm wrestling');
  });
});
