import { describe, expect, it } from 'vitest';
import { deepMerge } from './deep-merge.js';

describe('deepMerge', () => {
  it('merges objects key by key and lets undefined keep the base', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: 5 }, d: undefined })).toEqual({ a: { b: 1, c: 5 }, d: 3 });
  });

  it('replaces arrays and scalars whole, and lets null replace an object', () => {
    expect(deepMerge({ xs: [1, 2, 3], n: 1, o: { k: 1 } }, { xs: [9], n: 'two', o: null })).toEqual({ xs: [9], n: 'two', o: null });
  });

  it('shares nothing with its inputs', () => {
    const base = { o: { xs: [1] } };
    const over = { p: { ys: [2] } };
    const out = deepMerge(base, over) as { o: { xs: number[] }; p: { ys: number[] } };
    out.o.xs.push(5);
    out.p.ys.push(6);
    expect(base.o.xs).toEqual([1]);
    expect(over.p.ys).toEqual([2]);
  });
});
