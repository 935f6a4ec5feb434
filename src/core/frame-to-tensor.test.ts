import { describe, expect, it } from 'vitest';
import { createStreamFrameEncoder, frameToStreamTensor } from './frame-to-tensor.js';

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

describe('createStreamFrameEncoder with a quantized image input', () => {
  const frameOf = (data: Uint8Array) => ({ index: 0, ptsSec: 0, width: data.length / 3, height: 1, data });
  const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);

  it('passes the bytes through when the codes are the pixels (MoViNet int8: scale 1/255 in float32, zero point 0)', () => {
    const encode = createStreamFrameEncoder({ width: 256, height: 1, valueScale: 1 / 255, quantization: { scale: Math.fround(1 / 255), zeroPoint: 0 } });
    const t = encode(frameOf(all));
    expect(t.type).toBe('uint8');
    expect(t.dims).toEqual([1, 1, 1, 256, 3]);
    expect(Array.from(t.data)).toEqual(Array.from(all));
    expect(t.data.buffer).not.toBe(all.buffer); // a copy: the tensor's buffer is transferred away
  });

  it('quantizes each scaled value as QuantizeLinear would (round half to even, saturate)', () => {
    // real = v / 255; codes of scale 2/255 and zero point 10: v / 2 + 10, ties to even, capped at 255
    const encode = createStreamFrameEncoder({ width: 256, height: 1, valueScale: 1 / 255, quantization: { scale: 2 / 255, zeroPoint: 10 } });
    const codes = encode(frameOf(all)).data;
    expect(codes[0]).toBe(10);
    expect(codes[1]).toBe(10); // 0.5 -> 0
    expect(codes[3]).toBe(12); // 1.5 -> 2
    expect(codes[5]).toBe(12); // 2.5 -> 2
    expect(codes[255]).toBe(137); // float32: 127.49999 -> 127, as the kernel computes it
    const saturating = createStreamFrameEncoder({ width: 256, height: 1, valueScale: 1, quantization: { scale: 0.5, zeroPoint: 0 } });
    expect(saturating(frameOf(all)).data[200]).toBe(255);
  });
});
