import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { probeVideo } from '../../src/video/probe.js';
import { makeAudioOnly, makeMarker, makeNoHeader, makeRotated, makeVfr } from './clips.js';
import { SHARED, countFrames, makeClip, makeTempDir, media } from './helpers.js';

const temp = makeTempDir();
const fixtureFrames = (clip: string) =>
  (JSON.parse(readFileSync(path.join(SHARED, 'fixtures/movinet', `${clip}_fpsall.json`), 'utf8')) as { num_frames: number }).num_frames;

beforeAll(() => {
  makeVfr(temp.file('vfr.mp4'));
  makeMarker(temp.file('marker.mp4'));
  makeRotated(temp.file('rot90tag.mp4'), temp.file('marker.mp4'), 90);
  makeRotated(temp.file('rot270tag.mp4'), temp.file('marker.mp4'), 270);
  makeClip(['-i', media('arm_wrestling.mp4'), '-c', 'copy', temp.file('arm.mkv')]);
  makeClip(['-i', media('carving_ice.mp4'), '-c', 'copy', '-an', temp.file('silent.mp4')]);
  makeAudioOnly(temp.file('tone.m4a'));
  makeNoHeader(temp.file('no-header.mp4'));
  writeFileSync(temp.file('empty.mp4'), '');
  writeFileSync(temp.file('notes.mp4'), 'These are my notes, not a video.\n'.repeat(50));
  mkdirSync(temp.file('folder.mp4'));
});
afterAll(() => temp.remove());

async function probeError(file: string): Promise<ActionLensError> {
  const err = await probeVideo(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ActionLensError);
  return err as ActionLensError;
}

describe('probeVideo on the shared clips', () => {
  it.each(['carving_ice', 'arm_wrestling', 'jumpingjack'])('%s: frame count is the fixture count', async (clip) => {
    const file = media(clip === 'jumpingjack' ? 'jumpingjack.gif' : `${clip}.mp4`);
    const info = await probeVideo(file);
    expect(info.frameCount).toBe(fixtureFrames(clip));
    expect(info.frameCountEstimated).toBe(false);
    expect(info.durationSec * info.fps).toBeCloseTo(info.frameCount, -1);
    expect(info.sizeBytes).toBe(readFileSync(file).length);
  });

  it('reads size, codec and container as the README describes them', async () => {
    const gif = await probeVideo(media('jumpingjack.gif'));
    expect(gif).toMatchObject({ width: 300, height: 300, codec: 'gif', container: 'gif', rotation: 0, hasAudio: false });
    const avi = await probeVideo(media('makeup_mpeg4.avi'));
    expect(avi).toMatchObject({ codec: 'mpeg4', container: 'avi', frameCount: countFrames(media('makeup_mpeg4.avi')) });
    const big = await probeVideo(media('stretching_1080p.mp4'));
    expect([big.width, big.height]).toEqual([1920, 1080]);
    const arm = await probeVideo(media('arm_wrestling.mp4'));
    expect([arm.width, arm.height, arm.codec]).toEqual([340, 256, 'h264']);
  });

  it('sees the audio track, and its absence', async () => {
    expect((await probeVideo(media('carving_ice.mp4'))).hasAudio).toBe(true);
    expect((await probeVideo(temp.file('silent.mp4'))).hasAudio).toBe(false);
  });

  it('estimates the frame count where the container has none (mkv), and counts it on request', async () => {
    const real = countFrames(temp.file('arm.mkv'));
    const estimated = await probeVideo(temp.file('arm.mkv'));
    expect(estimated.frameCountEstimated).toBe(true);
    expect(Math.abs(estimated.frameCount - real)).toBeLessThanOrEqual(2);
    const counted = await probeVideo(temp.file('arm.mkv'), { exactFrameCount: true });
    expect(counted).toMatchObject({ frameCount: real, frameCountEstimated: false });
  });

  it('flags variable frame rate video', async () => {
    expect((await probeVideo(temp.file('vfr.mp4'))).variableFrameRate).toBe(true);
    expect((await probeVideo(media('arm_wrestling.mp4'))).variableFrameRate).toBe(false);
  });
});

describe('probeVideo rotation', () => {
  it('reports a quarter turn and the display size with width and height swapped', async () => {
    const plain = await probeVideo(temp.file('marker.mp4'));
    expect([plain.width, plain.height, plain.rotation]).toEqual([64, 48, 0]);
    const rotations = [];
    for (const name of ['rot90tag.mp4', 'rot270tag.mp4']) {
      const info = await probeVideo(temp.file(name));
      expect([info.width, info.height]).toEqual([48, 64]);
      rotations.push(info.rotation);
    }
    // Which tag maps to which clockwise angle is checked against the pixels in decode.test.ts.
    expect(rotations.sort()).toEqual([270, 90].sort());
  });
});

describe('probeVideo bad inputs', () => {
  it('missing file -> AL_ERR_INPUT_NOT_FOUND', async () => {
    const err = await probeError(temp.file('nope.mp4'));
    expect(err.code).toBe('AL_ERR_INPUT_NOT_FOUND');
    expect(err.message).toContain('nope.mp4');
  });

  it('empty file -> AL_ERR_VIDEO_EMPTY', async () => {
    const err = await probeError(temp.file('empty.mp4'));
    expect(err.code).toBe('AL_ERR_VIDEO_EMPTY');
    expect(err.message).toContain('0 bytes');
  });

  it("text file named .mp4 -> AL_ERR_VIDEO_UNREADABLE with ffprobe's reason", async () => {
    const err = await probeError(temp.file('notes.mp4'));
    expect(err.code).toBe('AL_ERR_VIDEO_UNREADABLE');
    expect(err.message).toMatch(/ffprobe says: .*Invalid data found when processing input/);
    expect(err.hint).toMatch(/truncated, corrupt or not a video/);
  });

  it('truncated mp4 without its moov header -> AL_ERR_VIDEO_UNREADABLE naming the missing moov', async () => {
    const err = await probeError(temp.file('no-header.mp4'));
    expect(err.code).toBe('AL_ERR_VIDEO_UNREADABLE');
    expect(err.message).toContain('moov atom not found');
  });

  it('audio-only file -> AL_ERR_VIDEO_NO_STREAM listing what is there', async () => {
    const err = await probeError(temp.file('tone.m4a'));
    expect(err.code).toBe('AL_ERR_VIDEO_NO_STREAM');
    expect(err.message).toContain('audio (aac)');
  });

  it('a directory -> AL_ERR_VIDEO_UNREADABLE', async () => {
    const err = await probeError(temp.file('folder.mp4'));
    expect(err.code).toBe('AL_ERR_VIDEO_UNREADABLE');
    expect(err.message).toMatch(/not a regular file/);
  });

  it('an aborted signal -> AL_ERR_ABORTED', async () => {
    const controller = new AbortController();
    const pending = probeVideo(media('arm_wrestling.mp4'), { signal: controller.signal, exactFrameCount: true });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'AL_ERR_ABORTED' });
  });
});
