import { describe, expect, it } from 'vitest';
import { parseTestPipeline, samplingOptions } from './test-pipeline.js';

// SlowOnly's test_pipeline as written in its MMAction2 config.
const SLOWONLY = [
  { type: 'DecordInit', io_backend: 'disk' },
  { type: 'SampleFrames', clip_len: 8, frame_interval: 8, num_clips: 10, test_mode: true },
  { type: 'DecordDecode' },
  { type: 'Resize', scale: [-1, 256] },
  { type: 'ThreeCrop', crop_size: 256 },
  { type: 'FormatShape', input_format: 'NCTHW' },
  { type: 'PackActionInputs' },
];

describe('test pipeline as data', () => {
  it('parses a config test_pipeline and fills MMAction2 defaults', () => {
    const p = parseTestPipeline(SLOWONLY);
    expect(p).toHaveLength(7);
    expect(p[3]).toEqual({ type: 'Resize', scale: [-1, 256], keep_ratio: true, interpolation: 'bilinear' });
    expect(samplingOptions(p)).toEqual({
      clipLen: 8, frameInterval: 8, numClips: 10, twiceSample: false, outOfBoundOpt: 'loop', targetFps: null, keepTailFrames: false,
    });
  });

  it('does not mutate the input', () => {
    const raw = structuredClone(SLOWONLY);
    parseTestPipeline(raw);
    expect(raw).toEqual(SLOWONLY);
  });

  it('names the bad step and the allowed types', () => {
    expect(() => parseTestPipeline([...SLOWONLY.slice(0, 3), { type: 'MultiScaleCrop' }])).toThrow(/test_pipeline\[3\]\[type\]: .*'SampleFrames'/);
    expect(() => parseTestPipeline([{ type: 'SampleFrames', clip_len: 0 }])).toThrow(/test_pipeline\[0\]\[clip_len\]/);
  });

  it('refuses training-mode sampling', () => {
    const p = parseTestPipeline([{ type: 'SampleFrames', clip_len: 1, test_mode: false }]);
    expect(() => samplingOptions(p)).toThrow(/test_mode is false/);
  });
});
