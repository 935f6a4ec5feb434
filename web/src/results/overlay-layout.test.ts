import { describe, expect, it } from 'vitest';
import { fitContain, layoutOverlay, overlayFontCss, truncateToWidth, type Rect } from './overlay-layout.js';

const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x - 1e-9 &&
  inner.y >= outer.y - 1e-9 &&
  inner.x + inner.width <= outer.x + outer.width + 1e-9 &&
  inner.y + inner.height <= outer.y + outer.height + 1e-9;

describe('fitContain', () => {
  it('letterboxes a wide video in a tall box and pillarboxes a tall one', () => {
    expect(fitContain(400, 400, 1920, 1080)).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
    expect(fitContain(400, 400, 1080, 1920)).toEqual({ x: 87.5, y: 0, width: 225, height: 400 });
  });
  it('fills the box when the media size is unknown, and is empty for an empty box', () => {
    expect(fitContain(300, 200, 0, 0)).toEqual({ x: 0, y: 0, width: 300, height: 200 });
    expect(fitContain(0, 200, 640, 360)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});

describe('layoutOverlay', () => {
  const picture: Rect = { x: 0, y: 60, width: 1280, height: 720 };
  const items = [
    { label: 'jumping', score: 0.8 },
    { label: 'running', score: 0.15 },
    { label: 'waving', score: 0 },
  ];

  it('puts one row per item inside a panel inside the picture', () => {
    const layout = layoutOverlay(picture, items)!;
    expect(layout.rows.map((r) => r.label)).toEqual(['jumping', 'running', 'waving']);
    expect(inside(layout.panel, picture)).toBe(true);
    for (const row of layout.rows) {
      expect(inside(row.bar, layout.panel)).toBe(true);
      expect(row.textY).toBeGreaterThan(layout.panel.y);
      expect(row.scoreRightX).toBeLessThanOrEqual(layout.panel.x + layout.panel.width);
    }
    // rows go downwards without overlapping
    expect(layout.rows[1].textY).toBeGreaterThan(layout.rows[0].bar.y + layout.rows[0].bar.height);
  });

  it('fills bars in proportion to the score and prints it as a percent', () => {
    const [a, b, c] = layoutOverlay(picture, items)!.rows;
    expect(a.barFilledWidth / a.bar.width).toBeCloseTo(0.8);
    expect(b.barFilledWidth / b.bar.width).toBeCloseTo(0.15);
    expect(c.barFilledWidth).toBe(0);
    expect(a.scoreText).toBe('80%');
    expect(b.scoreText).toBe('15%');
  });

  it('clamps scores outside 0..1', () => {
    const [row] = layoutOverlay(picture, [{ label: 'x', score: 1.5 }])!.rows;
    expect(row.barFilledWidth).toBe(row.bar.width);
    expect(row.scoreText).toBe('100%');
  });

  it('scales with the device pixel ratio', () => {
    const css = layoutOverlay({ x: 0, y: 0, width: 640, height: 360 }, items, 1)!;
    const hi = layoutOverlay({ x: 0, y: 0, width: 1280, height: 720 }, items, 2)!;
    expect(hi.fontPx).toBeCloseTo(css.fontPx * 2);
    expect(hi.panel.width).toBeCloseTo(css.panel.width * 2, 0);
  });

  it('shows only the rows that fit a short picture', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ label: `l${i}`, score: 0.5 }));
    const short: Rect = { x: 0, y: 0, width: 640, height: 120 };
    const layout = layoutOverlay(short, many)!;
    expect(layout.rows.length).toBeGreaterThan(0);
    expect(layout.rows.length).toBeLessThan(20);
    expect(inside(layout.panel, short)).toBe(true);
  });

  it('draws nothing without items or without room', () => {
    expect(layoutOverlay(picture, [])).toBeNull();
    expect(layoutOverlay({ x: 0, y: 0, width: 60, height: 400 }, items)).toBeNull();
    expect(layoutOverlay({ x: 0, y: 0, width: 0, height: 0 }, items)).toBeNull();
  });

  it('keeps the font readable on small pictures and modest on large ones', () => {
    expect(overlayFontCss(100)).toBe(11);
    expect(overlayFontCss(2000)).toBe(20);
  });
});

describe('truncateToWidth', () => {
  const measure = (s: string) => s.length * 10; // 10 px per character
  it('keeps text that fits', () => {
    expect(truncateToWidth('running', 70, measure)).toBe('running');
  });
  it('cuts to the longest prefix that fits with an ellipsis', () => {
    expect(truncateToWidth('playing ice hockey', 80, measure)).toBe('playing…');
    expect(measure(truncateToWidth('playing ice hockey', 95, measure))).toBeLessThanOrEqual(95);
  });
  it('gives an empty string when not even the ellipsis fits', () => {
    expect(truncateToWidth('abc', 5, measure)).toBe('');
  });
});
