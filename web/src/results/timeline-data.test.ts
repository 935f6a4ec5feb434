import { describe, expect, it } from 'vitest';
import { ResultDocumentSchema } from '../../../src/core/result/schema.js';
import { makeResult, scored } from '../test/fixtures.js';
import {
  bestFirst,
  binPartial,
  colorMap,
  eventIndexAt,
  mergeBins,
  PALETTE,
  seriesFromPartial,
  seriesFromResult,
  topkAt,
  topPartialLabels,
  windowIndexAt,
  type Bin,
} from './timeline-data.js';

describe('fixture', () => {
  it('is a valid result document', () => {
    expect(ResultDocumentSchema.safeParse(makeResult()).success).toBe(true);
  });
});

describe('seriesFromResult', () => {
  const doc = makeResult();
  const series = seriesFromResult(doc);

  it('draws one line per aggregate label, in aggregate order and colours', () => {
    expect(series.lines.map((l) => l.label)).toEqual(['jumping', 'running', 'waving']);
    expect(series.lines.map((l) => l.color)).toEqual(PALETTE.slice(0, 3));
    expect(series.xMax).toBe(4);
    expect(series.hidden).toBe(0);
  });

  it('draws each window as a flat segment and breaks the line where the label is not in the top-K', () => {
    const jumping = series.lines[0].points;
    expect(jumping).toEqual([
      { x: 0, y: 0.8 },
      { x: 1, y: 0.8 },
      { x: 1, y: 0.3 },
      { x: 2, y: 0.3 },
      { x: 2, y: null }, // empty window
      { x: 3, y: 0.9 },
      { x: 4, y: 0.9 },
    ]);
    const waving = series.lines[2].points;
    expect(waving).toEqual([
      { x: 0, y: null },
      { x: 3, y: 0.05 },
      { x: 4, y: 0.05 },
    ]);
  });

  it('caps the lines and says how many were left out', () => {
    const capped = seriesFromResult(doc, 2);
    expect(capped.lines).toHaveLength(2);
    expect(capped.hidden).toBe(1);
  });

  it('merges long timelines into at most maxBins slots', () => {
    const timeline = Array.from({ length: 10 }, (_, i) => ({ t_start: i, t_end: i + 1, topk: [scored('a', 0, i / 10)] }));
    const long = makeResult({ timeline, aggregate: { method: 'mean', topk: [scored('a', 0, 0.45)] } });
    const s = seriesFromResult(long, 10, 3);
    // groups of 4: [0..4) mean 0.15, [4..8) mean 0.55, [8..10) mean 0.85
    expect(s.lines[0].points.map((p) => p.x)).toEqual([0, 4, 4, 8, 8, 10]);
    expect(s.lines[0].points.map((p) => Number(p.y?.toFixed(2)))).toEqual([0.15, 0.15, 0.55, 0.55, 0.85, 0.85]);
  });
});

describe('mergeBins', () => {
  it('averages a label over the slots where it was in the top-K and skips empty slots', () => {
    const bins: Bin[] = [
      { t0: 0, t1: 1, scores: new Map([['a', 0.2]]) },
      { t0: 1, t1: 2, scores: new Map() },
      { t0: 2, t1: 3, scores: new Map([['a', 0.4], ['b', 0.1]]) },
    ];
    const merged = mergeBins(bins, 1);
    expect(merged).toHaveLength(1);
    expect(merged[0].t0).toBe(0);
    expect(merged[0].t1).toBe(3);
    expect(merged[0].scores.get('a')).toBeCloseTo(0.3);
    expect(merged[0].scores.get('b')).toBeCloseTo(0.1);
  });
});

describe('partial timeline', () => {
  const points = [
    { t: 0.1, topk: [scored('a', 0, 0.6), scored('b', 1, 0.2)] },
    { t: 0.5, topk: [scored('a', 0, 0.4)] },
    { t: 1.2, topk: [scored('b', 1, 0.9)] },
    { t: 3.5, topk: [scored('c', 2, 0.1)] },
  ];

  it('ranks labels by total score', () => {
    expect(topPartialLabels(points, 2)).toEqual(['b', 'a']);
    expect(topPartialLabels([], 3)).toEqual([]);
  });

  it('bins points by time and averages each label where present', () => {
    const bins = binPartial(points, 1);
    expect(bins.map((b) => [b.t0, b.t1])).toEqual([
      [0, 1],
      [1, 2],
      [3, 4],
    ]);
    expect(bins[0].scores.get('a')).toBeCloseTo(0.5);
    expect(bins[0].scores.get('b')).toBeCloseTo(0.2);
  });

  it('widens bins so a long run stays within maxBins', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ t: i / 10, topk: [scored('a', 0, 0.5)] }));
    expect(binPartial(many, 0.1, 50).length).toBeLessThanOrEqual(50);
  });

  it('shows a gap where time has no points at all', () => {
    const s = seriesFromPartial(points, { binSec: 1, lines: 3, durationSec: 10 });
    expect(s.xMax).toBe(10);
    const c = s.lines.find((l) => l.label === 'c')!;
    expect(c.points).toEqual([
      { x: 0, y: null },
      { x: 3, y: 0.1 },
      { x: 4, y: 0.1 },
    ]);
    const b = s.lines.find((l) => l.label === 'b')!;
    // after [1,2) comes a hole [2,3): the line must not join 0.9 to anything
    expect(b.points.slice(2)).toEqual([
      { x: 1, y: 0.9 },
      { x: 2, y: 0.9 },
      { x: 2, y: null },
    ]);
  });
});

describe('lookups at a time', () => {
  const doc = makeResult();
  it('finds the window under t, half-open, with the video end included', () => {
    expect(windowIndexAt(doc.timeline, 0)).toBe(0);
    expect(windowIndexAt(doc.timeline, 0.999)).toBe(0);
    expect(windowIndexAt(doc.timeline, 1)).toBe(1);
    expect(windowIndexAt(doc.timeline, 4)).toBe(3);
    expect(windowIndexAt(doc.timeline, 4.5)).toBe(-1);
    expect(windowIndexAt(doc.timeline, -0.1)).toBe(-1);
    expect(windowIndexAt([], 1)).toBe(-1);
  });
  it('gives the top-K there, empty in a window without scores', () => {
    expect(topkAt(doc.timeline, 1.5).map((s) => s.label)).toEqual(['running', 'jumping']);
    expect(topkAt(doc.timeline, 2.5)).toEqual([]);
  });
  it('finds the event under t', () => {
    expect(eventIndexAt(doc.events, 0.5)).toBe(0);
    expect(eventIndexAt(doc.events, 1)).toBe(1);
    expect(eventIndexAt(doc.events, 3)).toBe(-1);
  });
});

describe('colours and order', () => {
  it('gives each label one colour, repeating the palette past its end', () => {
    const labels = Array.from({ length: PALETTE.length + 1 }, (_, i) => `l${i}`);
    const map = colorMap([...labels, 'l0']);
    expect(map.size).toBe(labels.length);
    expect(map.get(`l${PALETTE.length}`)).toBe(PALETTE[0]);
  });
  it('sorts best first without changing the input', () => {
    const input = [scored('a', 0, 0.1), scored('b', 1, 0.7)];
    expect(bestFirst(input).map((s) => s.label)).toEqual(['b', 'a']);
    expect(input[0].label).toBe('a');
  });
});
