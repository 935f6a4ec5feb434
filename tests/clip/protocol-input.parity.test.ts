// The input tensor the clip engine feeds the model for MMAction2's whole-video protocol must equal,
// bit for bit, the normalised tensor MMAction2 1.2.0 built with PyAV decoding (preprocess fixtures).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipGeometry } from '../../src/app/clip-input.js';
import { decodeProtocolFrames, protocolInputChunks } from '../../src/app/clip-protocol.js';
import { probeVideo } from '../../src/video/index.js';
import { MEDIA, SHARED, specFromPipeline } from './clip-spec.js';

interface PreprocessFixture {
  config_pipeline: ({ type: string } & Record<string, unknown>)[];
  data_preprocessor_cfg: { mean: number[]; std: number[] };
  backends: {
    pyav: {
      sample_frames: { total_frames: number; frame_inds: number[] };
      final: { shape: number[]; sha256_le: string; mean: number; std: number; sample_indices: number[]; samples: number[] };
    };
  };
}

const CASES: [string, string, number][] = [
  // [pipeline variant, video, views per model call]
  ['tsn_r50_1x1x8_8clip_centercrop', 'jumpingjack.gif', 8],
  ['tsn_r50_1x1x8_8clip_centercrop', 'arm_wrestling.mp4', 8],
  ['tsm_r50_1x1x8', 'carving_ice.mp4', 3], // TenCrop, VFR-ish file: PyAV numbering matters
  ['x3d_s_13x6x1', 'jumpingjack.gif', 8], // target_fps, clips longer than the video (loop)
];

describe('whole-video protocol input = MMAction2 (PyAV) final tensor', () => {
  it.each(CASES)('%s on %s', async (variant, video, viewsPerRun) => {
    const fx = JSON.parse(readFileSync(resolve(SHARED, 'fixtures/mmaction2-preprocess', `${variant}__${video}.json`), 'utf8')) as PreprocessFixture;
    const ref = fx.backends.pyav;
    const spec = specFromPipeline({ id: variant.replace(/_/g, '-'), pipeline: fx.config_pipeline, ...fx.data_preprocessor_cfg });
    const geometry = clipGeometry(spec);
    const videoPath = resolve(MEDIA, video);
    const info = await probeVideo(videoPath);

    const decoded = await decodeProtocolFrames({ videoPath, info, geometry, ffmpeg: 'ffmpeg' });
    expect(decoded.totalFrames).toBe(ref.sample_frames.total_frames);
    expect(decoded.frameIndices).toEqual(ref.sample_frames.frame_inds);

    const hash = createHash('sha256');
    const samples = new Map(ref.final.sample_indices.map((flat, k) => [flat, ref.final.samples[k]!]));
    let views = 0;
    let offset = 0;
    let sum = 0;
    for (const chunk of protocolInputChunks(decoded.frames, geometry, viewsPerRun)) {
      expect(chunk.dims.slice(1)).toEqual(geometry.viewShape);
      expect(chunk.dims[0]).toBeLessThanOrEqual(viewsPerRun);
      views += chunk.dims[0]!;
      const data = chunk.data as Float32Array;
      hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      for (let i = 0; i < data.length; i++) {
        sum += data[i]!;
        const want = samples.get(offset + i);
        if (want !== undefined) expect(data[i], `element ${offset + i}`).toBe(want);
      }
      offset += data.length;
    }
    // Fixture shape: 2D [1, V*S, 3, H, W], 3D [1, V, 3, T, H, W]; ours: [V, ...viewShape], same bytes.
    const refNumel = ref.final.shape.reduce((a, b) => a * b, 1);
    expect(offset).toBe(refNumel);
    expect(views * geometry.viewShape.reduce((a, b) => a * b, 1)).toBe(refNumel);
    expect(sum / offset).toBeCloseTo(ref.final.mean, 6);
    expect(hash.digest('hex')).toBe(ref.final.sha256_le);
  });
});
