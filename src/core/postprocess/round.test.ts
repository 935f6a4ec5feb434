import { describe, expect, it } from 'vitest';
import { roundSignificant, roundTime } from './round.js';

describe('roundSignificant', () => {
  it('keeps 6 significant digits at any magnitude', () => {
    expect(roundSignificant(0.123456789)).toBe(0.123457);
    expect(roundSignificant(0.000123456789)).toBe(0.000123457);
    expect(roundSignificant(1.23456789e-9)).toBe(1.23457e-9);
    expect(roundSignificant(0.98997, 3)).toBe(0.99);
  });

  it('makes values that differ only by float noise identical', () => {
    const a = 0.1 + 0.2;
    const b = Math.fround(0.3);
    expect(a).not.toBe(b);
    expect(roundSignificant(a)).toBe(roundSignificant(b));
  });

  it('leaves 0 and non-finite values alone', () => {
    expect(roundSignificant(0)).toBe(0);
    expect(roundSignificant(Infinity)).toBe(Infinity);
  });
});

describe('roundTime', () => {
  it('rounds to microseconds', () => {
    expect(3 * 0.1).not.toBe(0.3);
    expect(roundTime(3 * 0.1)).toBe(0.3);
    expect(roundTime(1.0000004)).toBe(1);
  });
});
