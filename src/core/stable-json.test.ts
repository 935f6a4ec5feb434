import { describe, expect, it } from 'vitest';
import { stableStringify } from './stable-json.js';

describe('stableStringify', () => {
  it('gives the same text whatever the key order, nested too', () => {
    const a = { b: 1, a: { d: [3, { y: 1, x: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { x: 2, y: 1 }] }, b: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(stableStringify(a)).toBe('{"a":{"c":"x","d":[3,{"x":2,"y":1}]},"b":1}');
  });
  it('keeps array order and drops undefined fields', () => {
    expect(stableStringify({ z: undefined, l: [2, 1] })).toBe('{"l":[2,1]}');
  });
});
