import { describe, expect, it } from 'vitest';
import { frameToStreamTensor } from './frame-to-tensor.js';

describe('frameToStreamTensor', () => {
  it('1/255 scaling equals float32 division by 255 for every uint8 value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const t = frameToStreamTensor({ index: 0, ptsSec: 0, width: 256, height: 1, data: new Uint8Array([...all, ...all, ...all]) }, { width: 256, height: 1, valueScale: 1 / 255 });
    const f32 = new Float32Array(1);
    for (let v = 0; v < 256; v++) {
      f32[0] = v; // float32 division, rounded once
      expect((t.data as Float32Array)[v]).toBe(Math.fround(f32[0] / 255));
    }
  });
  it('scales uint8 RGB to [0,1] float32 in [1,1,H,W,3] order', () => {
    const data = Uint8Array.from([0, 255, 51, 102, 204, 1]); // 1x2 pixels
    const t = frameToStreamTensor({ index: 0, ptsSec: 0, width: 2, height: 1, data }, { width: 2, height: 1, valueScale: 1 / 255 });
    expect(t.dims).toEqual([1, 1, 1, 2, 3]);
    expect(Array.from(t.data as Float32Array)).toEqual(Array.from(data).map((v) => Math.fround(v / 255)));
  });
  it('refuses a frame of the wrong size', () => {
    const data = new Uint8Array(12);
    expect(() => frameToStreamTensor({ index: 0, ptsSec: 0, width: 2, height: 2, data }, { width: 4, height: 4, valueScale: 1 })).toThrow(/2x2.*4x4/);
  });
});
