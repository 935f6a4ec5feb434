import { describe, expect, it } from 'vitest';
import { validateResultDocument } from '../../../src/core/result/validate.js';
import { makeResult } from '../test/fixtures.js';
import { precisionSummary } from './model-precision.js';

const base = makeResult().model;
const video = (name: string, digit: string) => ({ name, sha256: digit.repeat(64) });
const quantized = (calibration: { name: string; sha256: string }[]) => ({
  ...base,
  id: 'tsn-r50-1x1x8-k400',
  precision: 'int8' as const,
  quantization: { method: 'static-qdq' as const, quantizer_version: 'qdq-int8-1', calibration },
});

describe('precision in the result summary', () => {
  it('says nothing for fp32 or an older document without precision', () => {
    expect(precisionSummary({ ...base, precision: 'fp32' })).toBeNull();
    expect(precisionSummary(base)).toBeNull();
  });

  it('names the calibration videos of an int8 model', () => {
    const model = quantized([video('clip.mp4', 'a')]);
    validateResultDocument(makeResult({ model })); // a document the server could send
    const s = precisionSummary(model)!;
    expect(s.text).toBe('int8 (calibrated on clip.mp4)');
    expect(s.detail).toBe('static-qdq, qdq-int8-1; calibration videos:\nclip.mp4 (sha256 aaaaaaaaaaaa…)');
  });

  it('shortens a long list of calibration videos, keeping all of them in the detail', () => {
    const s = precisionSummary(quantized([video('a.mp4', 'a'), video('b.mp4', 'b'), video('c.mp4', 'c'), video('d.mp4', 'd')]))!;
    expect(s.text).toBe('int8 (calibrated on a.mp4, b.mp4 and 2 more)');
    expect(s.detail?.split('\n')).toHaveLength(5);
    expect(precisionSummary(quantized([video('a.mp4', 'a'), video('b.mp4', 'b')]))!.text).toBe('int8 (calibrated on a.mp4, b.mp4)');
  });

  it('says a stream model asked for int8 ran its own quantized weights', () => {
    expect(precisionSummary({ ...base, precision: 'int8' })).toEqual({ text: 'int8 (already quantized)' });
  });
});
