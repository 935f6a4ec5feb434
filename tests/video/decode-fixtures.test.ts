// Parity with the MoViNet fixtures: the same bytes as the fixtures' own ffmpeg command, the same
// frame counts, and the stored first two input frames.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/video/decode.js';
import { SHARED, collect, concatFrames, framePtsTimes, media } from './helpers.js';

interface MovinetFixture {
  video: string;
  num_frames: number;
  decode: { args: string[] };
  input_frames_rgb24_base64: Record<string, string>;
}

function loadFixture(name: string): MovinetFixture {
  return JSON.parse(readFileSync(path.join(SHARED, 'fixtures/movinet', `${name}.json`), 'utf8')) as MovinetFixture;
}

const geometry = { kind: 'exact', width: 172, height: 172 } as const;
const fpsOf = (name: string) => (name.endsWith('_fps5') ? 5 : undefined);

describe('decodeFrames vs the MoViNet fixtures', () => {
  it.each(['carving_ice_fpsall', 'carving_ice_fps5'])('%s: byte-identical to the fixture ffmpeg args', async (name) => {
    const fixture = loadFixture(name);
    const video = media(fixture.video);
    const args = fixture.decode.args.map((a) => (a === '<video>' ? video : a));
    const direct = spawnSync('ffmpeg', args, { maxBuffer: 512 * 1024 * 1024 });
    expect(direct.status).toBe(0);

    const frames = await collect(decodeFrames(video, { geometry, fps: fpsOf(name) }));
    expect(frames.length).toBe(fixture.num_frames);
    expect(frames.every((f) => f.width === 172 && f.height === 172 && f.data.length === 172 * 172 * 3)).toBe(true);
    expect(concatFrames(frames).equals(direct.stdout)).toBe(true);

    expect(Object.keys(fixture.input_frames_rgb24_base64)).toEqual(['0', '1']);
    for (const [index, base64] of Object.entries(fixture.input_frames_rgb24_base64)) {
      expect(Buffer.from(frames[Number(index)].data).equals(Buffer.from(base64, 'base64'))).toBe(true);
    }
  });

  it.each(['arm_wrestling_fpsall', 'arm_wrestling_fps5', 'jumpingjack_fpsall', 'jumpingjack_fps5'])(
    '%s: frame count and first two frames match the fixture',
    async (name) => {
      const fixture = loadFixture(name);
      const frames = await collect(decodeFrames(media(fixture.video), { geometry, fps: fpsOf(name) }));
      expect(frames.length).toBe(fixture.num_frames);
      expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i));
      expect(Object.keys(fixture.input_frames_rgb24_base64)).toEqual(['0', '1']);
    for (const [index, base64] of Object.entries(fixture.input_frames_rgb24_base64)) {
        expect(Buffer.from(frames[Number(index)].data).equals(Buffer.from(base64, 'base64'))).toBe(true);
      }
    },
  );

  it('carries the real presentation times (carving_ice has an irregular frame rate)', async () => {
    const video = media('carving_ice.mp4');
    const frames = await collect(decodeFrames(video, { geometry }));
    const expected = framePtsTimes(video);
    expect(frames.length).toBe(expected.length);
    frames.forEach((frame, i) => expect(frame.ptsSec).toBeCloseTo(expected[i], 5));
  });

  it('puts fps-resampled frames on the 1/fps grid', async () => {
    const frames = await collect(decodeFrames(media('arm_wrestling.mp4'), { geometry, fps: 5 }));
    frames.forEach((frame) => expect(frame.ptsSec).toBeCloseTo(frame.index / 5, 9));
  });
});
