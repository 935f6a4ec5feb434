import { describe, expect, it } from 'vitest';
import { ActionLensError } from './errors.js';
import { decodeQuantizedInputs, encodeQuantizedInputs, quantizeValue } from './quantized-input.js';

describe('quantized input metadata', () => {
  it('round-trips through the metadata JSON; absent metadata means no quantized inputs', () => {
    const inputs = new Map([['image', { scale: Math.fround(1 / 255), zeroPoint: 0 }], ['state', { scale: 0.0235294122248888, zeroPoint: 128 }]]);
    expect(decodeQuantizedInputs(encodeQuantizedInputs(inputs))).toEqual(inputs);
    expect(decodeQuantizedInputs(undefined).size).toBe(0);
  });

  it('rejects a zero point outside uint8 or a non-positive scale, naming the entry', () => {
    for (const bad of ['{"image":{"scale":0.1,"zero_point":300}}', '{"image":{"scale":0,"zero_point":0}}', 'not json']) {
      let error: unknown;
      try {
        decodeQuantizedInputs(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ActionLensError);
      expect((error as ActionLensError).message).toContain('actionlens.quantized_inputs');
    }
  });

  it('quantizes as QuantizeLinear: real zero is the zero point, ties to even, saturating at 0 and 255', () => {
    const q = { scale: 0.5, zeroPoint: 100 };
    expect(quantizeValue(0, q)).toBe(100);
    expect(quantizeValue(0.25, q)).toBe(100); // 0.5 -> 0
    expect(quantizeValue(0.75, q)).toBe(102); // 1.5 -> 2
    expect(quantizeValue(-0.75, q)).toBe(98); // -1.5 -> -2
    expect(quantizeValue(1000, q)).toBe(255);
    expect(quantizeValue(-1000, q)).toBe(0);
  });
});
