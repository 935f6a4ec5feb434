// ModelSpec -> clip geometry, and the timeline's window plan for 2D segment and 3D clip models.
import { describe, expect, it } from 'vitest';
import { clipGeometry } from '../../src/app/clip-input.js';
import { protocolViewAverage } from '../../src/app/clip-analysis.js';
import { planTimelineWindows } from '../../src/app/clip-timeline.js';
import { validateModelSpec } from '../../src/models/spec.js';
import { goldenFixtureSpec } from './clip-spec.js';

describe('clipGeometry', () => {
  it('3D (x3d_s): view [3, 13, 182, 182], target_fps kept, three crops', () => {
    const g = clipGeometry(goldenFixtureSpec('x3d_s_13x6x1').spec);
    expect(g.viewShape).toEqual([3, 13, 182, 182]);
    expect(g.framesPerView).toBe(13);
    expect(g.sampling).toMatchObject({ clipLen: 13, frameInterval: 6, numClips: 10, targetFps: 30, twiceSample: false, outOfBoundOpt: 'loop' });
    expect(g.resize).toEqual({ kind: 'short-side', size: 182 });
    expect(g.crop).toEqual({ size: 182, mode: 'three' });
  });

  it('2D (tsm_mobilenetv2): a view is all segments [8, 3, 256, 256]; twice_sample comes from the test pipeline', () => {
    const { spec } = goldenFixtureSpec('tsm_mobilenetv2_1x1x8');
    expect(clipGeometry(spec).viewShape).toEqual([8, 3, 256, 256]);
    const pipeline = spec.mmaction2!.test_pipeline.map((s) => (s.type === 'SampleFrames' ? { ...s, twice_sample: true } : s));
    const twice = validateModelSpec({ ...spec, mmaction2: { ...spec.mmaction2!, test_pipeline: pipeline } });
    expect(clipGeometry(twice).sampling.twiceSample).toBe(true);
  });

  it('folds value_scale into mean/std and maps channel order', () => {
    const { spec } = goldenFixtureSpec('x3d_s_13x6x1');
    const g = clipGeometry(validateModelSpec({ ...spec, input: { ...spec.input, value_scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], channel_order: 'bgr' } }));
    // (v / 255 - 0.5) / 0.25 = (v - 127.5) / 63.75
    expect(g.normalize.mean[0]).toBeCloseTo(127.5, 9);
    expect(g.normalize.std[2]).toBeCloseTo(63.75, 9);
    expect(g.channelOrder).toBe('BGR');
  });

  it('TSNHead models average raw scores across views (one softmax, as MMAction2), others follow the spec', () => {
    const { spec } = goldenFixtureSpec('tsn_r50_1x1x8');
    expect(spec.mmaction2!.model.cls_head.type).toBe('TSNHead');
    expect(protocolViewAverage(spec)).toBe('score');
    expect(protocolViewAverage(goldenFixtureSpec('tsm_mobilenetv2_1x1x8').spec)).toBe('prob');
    expect(protocolViewAverage(goldenFixtureSpec('x3d_s_13x6x1').spec)).toBe('prob');
  });
});

describe('planTimelineWindows', () => {
  it('segment models spread their segments over segmentWindowSec', () => {
    const g = clipGeometry(goldenFixtureSpec('tsm_mobilenetv2_1x1x8').spec);
    const windows = planTimelineWindows({ geometry: g, totalFrames: 280, fps: 28, segmentWindowSec: 2 });
    // 8 segments over 2 s at 28 fps: every 7th frame, windows 56 frames apart.
    expect(windows[0]!.frameIndices).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
    expect(windows[1]!.startFrame).toBe(56);
    expect(windows).toHaveLength(5);
    expect(windows[4]!.tEndSec).toBeCloseTo(10, 9);
  });

  it('a stride shorter than the span makes overlapping windows', () => {
    const g = clipGeometry(goldenFixtureSpec('x3d_s_13x6x1').spec);
    const windows = planTimelineWindows({ geometry: g, totalFrames: 300, fps: 30, segmentWindowSec: 1, strideFrames: 39 });
    expect(windows.slice(0, 3).map((w) => w.startFrame)).toEqual([0, 39, 78]);
    expect(windows[0]!.frameIndices).toEqual([0, 6, 12, 19, 25, 32, 38, 44, 51, 57, 64, 70, 77]);
  });
});
