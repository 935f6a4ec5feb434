import { describe, expect, it } from 'vitest';
import { PALETTE } from '../results/timeline-data.js';
import { createLiveHistory } from './live-history.js';

const top = (...pairs: [string, number][]) => pairs.map(([label, score], index) => ({ label, index, score }));

describe('live history', () => {
  it('draws the labels with the highest summed score, seconds before the newest frame, gaps where a label was not in the top-K', () => {
    const h = createLiveHistory(30_000, 2);
    h.push(1000, top(['a', 0.5], ['b', 0.3], ['c', 0.2]));
    h.push(1200, top(['b', 0.6], ['c', 0.3]));
    h.push(1400, top(['b', 0.7], ['a', 0.2]));
    const lines = h.lines();
    expect(lines.map((l) => l.label)).toEqual(['b', 'a']); // b 1.6, a 0.7, c 0.5 (left out)
    expect(lines[0]!.points).toEqual([
      { x: -0.4, y: 0.3 },
      { x: -0.2, y: 0.6 },
      { x: 0, y: 0.7 },
    ]);
    expect(lines[1]!.points.map((p) => p.y)).toEqual([0.5, null, 0.2]);
  });

  it('forgets frames older than the window, and keeps each label its colour', () => {
    const h = createLiveHistory(1000, 5);
    h.push(0, top(['old', 0.9]));
    h.push(500, top(['new', 0.8]));
    const firstColors = new Map(h.lines().map((l) => [l.label, l.color]));
    expect(firstColors).toEqual(new Map([['old', PALETTE[0]], ['new', PALETTE[1]]]));
    h.push(1500, top(['new', 0.9], ['old', 0.1]));
    const lines = h.lines();
    expect(lines.map((l) => l.label)).toEqual(['new', 'old']);
    expect(lines[0]!.points).toEqual([
      { x: -1, y: 0.8 },
      { x: 0, y: 0.9 },
    ]);
    expect(lines.map((l) => l.color)).toEqual([PALETTE[1], PALETTE[0]]);
    h.clear();
    expect(h.lines()).toEqual([]);
  });

  it('never draws two lines in one colour, however many labels come and go', () => {
    const h = createLiveHistory(1000, 3);
    for (let i = 0; i < 40; i++) {
      h.push(i * 1000, top([`label ${i}`, 0.9], [`label ${i + 1}`, 0.5])); // each frame alone in the window
      const colors = h.lines().map((l) => l.color);
      expect(new Set(colors).size).toBe(colors.length);
    }
    const colorOf39 = h.lines().find((l) => l.label === 'label 39')!.color;
    h.push(40_500, top(['label 39', 0.9], ['other', 0.2])); // label 39 stays on the chart: same colour
    expect(h.lines().find((l) => l.label === 'label 39')!.color).toBe(colorOf39);
  });
});
