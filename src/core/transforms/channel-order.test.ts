import { describe, expect, it } from 'vitest';
import { channelSources, swapRedBlue } from './channel-order.js';

describe('channel order', () => {
  it('maps model channels to RGB input channels', () => {
    expect(channelSources('RGB')).toEqual([0, 1, 2]);
    expect(channelSources('BGR')).toEqual([2, 1, 0]);
    expect(() => channelSources('GBR' as 'RGB')).toThrow(/allowed: 'RGB', 'BGR'/);
  });

  it('swaps red and blue of every pixel', () => {
    const out = swapRedBlue({ width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
    expect(Array.from(out.data)).toEqual([3, 2, 1, 6, 5, 4]);
  });
});
