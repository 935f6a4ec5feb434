import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../core/errors.js';
import { validateModelSpec, type ModelSpecInput } from './spec.js';

// A TSN-like MMAction2 spec: segments, short-side resize + ten crop, ImageNet mean/std (RGB order).
const tsn: ModelSpecInput = {
  id: 'tsn-r50-k400',
  display_name: 'TSN R50',
  family: 'tsn',
  dataset: 'kinetics-400',
  num_classes: 400,
  labels: { file: 'kinetics400.txt', sha256: 'e9f2806fe9109b851a80a74841244f6f8c9d10917fa0229cd82bab67f2f8e28f' },
  source: {
    urls: ['https://download.openmmlab.com/mmaction/v1.0/recognition/tsn/x/x_20220906-2692d16c.pth'],
    file_name: 'x_20220906-2692d16c.pth',
    sha256_prefix: '2692d16c',
    license: 'Apache-2.0',
    converter: 'mmaction2-pth',
  },
  input: {
    layout: 'NCHW-segments',
    short_side: 256,
    crop: { size: 224, mode: 'ten' },
    mean: [123.675, 116.28, 103.53],
    std: [58.395, 57.12, 57.375],
    clip_len: 1,
    frame_interval: 1,
    num_clips: 25,
  },
  output: { kind: 'logits', view_average: 'prob' },
  accuracy: { top1: 74.12, top5: 91.34 },
};

function errorOf(data: unknown): ActionLensError {
  try {
    validateModelSpec(data);
  } catch (e) {
    return e as ActionLensError;
  }
  throw new Error('expected validateModelSpec to throw');
}

describe('validateModelSpec', () => {
  it('fills defaults into a new object and leaves the input alone', () => {
    const input = structuredClone(tsn);
    const spec = validateModelSpec(input);
    expect(spec.input.value_scale).toBe(1);
    expect(spec.input.channel_order).toBe('rgb');
    expect(input).toEqual(tsn);
    expect(spec).not.toBe(input);
  });

  it('names each bad field with its value', () => {
    const bad = { ...tsn, num_classes: 0, source: { ...tsn.source, file_name: '../evil', converter: 'caffe' } };
    const error = errorOf(bad);
    expect(error.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(error.message).toContain("'tsn-r50-k400'");
    expect(error.message).toMatch(/num_classes: .* \(got 0\)/);
    expect(error.message).toMatch(/source\.file_name: .*\(got "\.\.\/evil"\)/);
    expect(error.message).toMatch(/source\.converter: .*tflite.*\(got "caffe"\)/);
  });

  it('needs exactly one of sha256 and sha256_prefix', () => {
    expect(errorOf({ ...tsn, source: { ...tsn.source, sha256_prefix: undefined } }).message).toMatch(/exactly one of sha256/);
    expect(errorOf({ ...tsn, source: { ...tsn.source, sha256: 'a'.repeat(64) } }).message).toMatch(/exactly one of sha256/);
    expect(errorOf({ ...tsn, source: { ...tsn.source, sha256_prefix: 'XYZ' } }).message).toMatch(/sha256_prefix/);
  });

  it('checks the resize and crop rules and the stream/non-stream output fields', () => {
    expect(errorOf({ ...tsn, input: { ...tsn.input, size: { width: 224, height: 224 } } }).message).toMatch(/either size .* or short_side/);
    expect(errorOf({ ...tsn, input: { ...tsn.input, crop: { size: 300 } } }).message).toMatch(/crop size 300 is larger than short_side 256/);
    expect(errorOf({ ...tsn, output: { kind: 'logits', stream: { image_input: 'i', logits_output: 'o' } } }).message).toMatch(/only for layout 'NTHWC-stream'/);
    const stream = { ...tsn, input: { layout: 'NTHWC-stream', size: { width: 172, height: 172 }, default_fps: 5 } };
    expect(errorOf(stream).message).toMatch(/needs output\.stream/);
    expect(errorOf({ ...tsn, source: { ...tsn.source, urls: ['file:///etc/passwd'] } }).message).toMatch(/http\(s\) URL/);
  });
});
