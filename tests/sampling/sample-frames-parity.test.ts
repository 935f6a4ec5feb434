// SampleFrames parity with MMAction2 1.2.0: synthetic frame counts and the real clips' recorded indices.
import { describe, expect, it } from 'vitest';
import { sampleFrames } from '../../src/core/sampling/sample-frames.js';
import {
  HAVE_FIXTURES,
  loadSyntheticSampleFrames,
  loadVideoFixture,
  type SampleFramesSettings,
  videoFixtureNames,
} from './preprocess-fixtures.js';

function optionsFrom(settings: SampleFramesSettings, totalFrames: number, avgFps: number | null) {
  return {
    totalFrames,
    avgFps,
    clipLen: settings.clip_len,
    frameInterval: settings.frame_interval,
    numClips: settings.num_clips,
    twiceSample: settings.twice_sample,
    outOfBoundOpt: settings.out_of_bound_opt,
    targetFps: settings.target_fps,
    keepTailFrames: settings.keep_tail_frames,
  };
}

describe.skipIf(!HAVE_FIXTURES)('sampleFrames vs MMAction2 (synthetic frame counts)', () => {
  const variants = HAVE_FIXTURES ? loadSyntheticSampleFrames() : {};
  for (const [name, variant] of Object.entries(variants)) {
    it(`${name}: all ${variant.cases.length} cases`, () => {
      for (const c of variant.cases) {
        const got = sampleFrames(optionsFrom(variant.settings, c.total_frames, c.avg_fps));
        expect(got, `total_frames=${c.total_frames} avg_fps=${c.avg_fps}`).toEqual(c.frame_inds);
      }
    });
  }

  it('covers the out-of-range looping and every X3D avg_fps', () => {
    const x3d = variants['x3d_s_13x6x1']!;
    expect(new Set(x3d.cases.map((c) => c.avg_fps))).toEqual(new Set([null, 30, 25, 60, 24, 28, 29.97]));
    // A 1-frame video must still give numClips * clipLen indices, all 0.
    const one = variants['slowfast_r50_4x16x1']!.cases.find((c) => c.total_frames === 1)!;
    expect(one.frame_inds).toHaveLength(320);
  });
});

describe.skipIf(!HAVE_FIXTURES)('sampleFrames vs MMAction2 (real clips, every decoder backend)', () => {
  const names = videoFixtureNames();
  it('has the 30 (variant, video) fixtures', () => expect(names).toHaveLength(30));
  for (const name of names) {
    it(name, () => {
      const fixture = loadVideoFixture(name);
      const backends = Object.entries(fixture.backends);
      expect(backends.length).toBeGreaterThanOrEqual(2);
      for (const [backend, record] of backends) {
        const sf = record.sample_frames;
        const got = sampleFrames(optionsFrom(sf.settings, sf.total_frames, sf.avg_fps));
        expect(got, `${backend}: total_frames=${sf.total_frames} avg_fps=${sf.avg_fps}`).toEqual(sf.frame_inds);
      }
    });
  }
});
