import { describe, expect, it } from 'vitest';
import { broadcastDims, sameDims, sameUpToLeadingOnes, withoutLeadingOnes } from './rank.js';

describe('leading-ones rank helpers', () => {
  it('drops leading 1s but keeps at least one dim', () => {
    expect(withoutLeadingOnes([1, 1, 22, 22, 32])).toEqual([22, 22, 32]);
    expect(withoutLeadingOnes([1, 1, 1])).toEqual([1]);
    expect(withoutLeadingOnes([3, 1, 4])).toEqual([3, 1, 4]);
  });

  it('treats the 5-D <-> 4-D MoViNet reshapes as rank-only, and real reshapes as not', () => {
    expect(sameUpToLeadingOnes([1, 1, 43, 43, 8], [1, 43, 43, 8])).toBe(true);
    expect(sameUpToLeadingOnes([1, 1, 1, 600], [1, 600])).toBe(true);
    expect(sameUpToLeadingOnes([1, 3, 22, 22, 80], [1, 3, 484, 80])).toBe(false);
    expect(sameUpToLeadingOnes([1, 1, 484, 80], [1, 22, 22, 80])).toBe(false);
    // a 1 that is not leading matters
    expect(sameUpToLeadingOnes([1, 22, 1, 32], [1, 22, 32])).toBe(false);
  });

  it('broadcasts from the right like NumPy', () => {
    expect(broadcastDims([1, 43, 43, 8], [43, 43, 8])).toEqual([1, 43, 43, 8]);
    expect(broadcastDims([1, 1, 1, 1, 480], [1])).toEqual([1, 1, 1, 1, 480]);
    expect(broadcastDims([22, 1, 32], [1, 5, 32])).toEqual([22, 5, 32]);
    expect(sameDims([1, 2], [1, 2])).toBe(true);
    expect(sameDims([1, 2], [2])).toBe(false);
  });
});
