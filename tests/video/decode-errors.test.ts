// What a user sees when the video is broken: frames that could be decoded, then a clear
// AL_ERR_DECODE_FAILED with ffmpeg's reason; never a hang.
import { chmodSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionLensError } from '../../src/core/errors.js';
import type { RgbFrame } from '../../src/core/video-types.js';
import { decodeFrames, type DecodeOptions } from '../../src/video/decode.js';
import { makeCorruptData, makeCutData, makeFaststart } from './clips.js';
import { makeClip, makeTempDir, media } from './helpers.js';

const temp = makeTempDir();
const geometry = { kind: 'exact', width: 64, height: 64 } as const;

beforeAll(() => {
  makeFaststart(temp.file('fast.mp4'));
  makeCutData(temp.file('cut.mp4'), temp.file('fast.mp4'));
  makeCorruptData(temp.file('corrupt.mp4'));
  writeFileSync(temp.file('notes.mp4'), 'These are my notes, not a video.\n'.repeat(50));
  writeFileSync(temp.file('empty.mp4'), '');
  // Two clips of different sizes back to back in one MPEG-TS stream.
  makeClip(['-i', media('carving_ice.mp4'), '-t', '0.5', '-an', '-c:v', 'libx264', '-preset', 'ultrafast', temp.file('a.ts')]);
  makeClip(['-i', media('arm_wrestling.mp4'), '-t', '0.5', '-an', '-c:v', 'libx264', '-preset', 'ultrafast', temp.file('b.ts')]);
  makeClip(['-i', `concat:${temp.file('a.ts')}|${temp.file('b.ts')}`, '-c', 'copy', '-f', 'mpegts', temp.file('sizes.ts')]);
});
afterAll(() => temp.remove());

async function decodeUntilError(file: string, options: Partial<DecodeOptions> = {}) {
  const frames: RgbFrame[] = [];
  try {
    for await (const frame of decodeFrames(file, { geometry, ...options })) frames.push(frame);
  } catch (err) {
    return { frames, error: err as ActionLensError };
  }
  return { frames, error: undefined };
}

describe('decodeFrames on broken input', () => {
  it('truncated mp4 (header intact, data cut): the decodable frames, then AL_ERR_DECODE_FAILED', async () => {
    const { frames, error } = await decodeUntilError(temp.file('cut.mp4'));
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.length).toBeLessThan(280);
    expect(error?.code).toBe('AL_ERR_DECODE_FAILED');
    expect(error?.message).toContain(`after ${frames.length} frame(s)`);
    expect(error?.message).toMatch(/partial file/);
    expect(error?.hint).toMatch(/truncated or corrupt/);
  });

  it("truncated mp4 with onCorruptInput 'warn': ends normally and logs a warning", async () => {
    const warnings: unknown[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (obj: object | string) => warnings.push(obj) };
    const { frames, error } = await decodeUntilError(temp.file('cut.mp4'), { onCorruptInput: 'warn', logger });
    expect(error).toBeUndefined();
    expect(frames.length).toBeGreaterThan(10);
    expect(JSON.stringify(warnings)).toMatch(/partial file/);
  });

  it('corrupt frame data: AL_ERR_DECODE_FAILED with the decoder errors collapsed', async () => {
    const { error } = await decodeUntilError(temp.file('corrupt.mp4'));
    expect(error?.code).toBe('AL_ERR_DECODE_FAILED');
    expect(error?.message).toMatch(/h264: .*\(x\d+\)/);
    expect(error!.message.length).toBeLessThan(1200);
  });

  it('a text file named .mp4: ffmpeg exits non-zero -> AL_ERR_DECODE_FAILED with its reason', async () => {
    const { frames, error } = await decodeUntilError(temp.file('notes.mp4'));
    expect(frames).toHaveLength(0);
    expect(error?.code).toBe('AL_ERR_DECODE_FAILED');
    expect(error?.message).toMatch(/exited with code 1.*Invalid data found when processing input/);
  });

  it('missing and empty files get their own codes before ffmpeg runs', async () => {
    expect((await decodeUntilError(temp.file('nope.mp4'))).error?.code).toBe('AL_ERR_INPUT_NOT_FOUND');
    expect((await decodeUntilError(temp.file('empty.mp4'))).error?.code).toBe('AL_ERR_VIDEO_EMPTY');
  });

  it('a stream whose frame size changes mid-way: native size fails clearly, exact size decodes it all', async () => {
    const native = await decodeUntilError(temp.file('sizes.ts'), { geometry: { kind: 'native' } });
    expect(native.error?.code).toBe('AL_ERR_DECODE_FAILED');
    expect(native.error?.message).toMatch(/changes frame size mid-stream \(172x172 -> 340x256/);
    expect(native.frames.every((f) => f.width === 172 && f.height === 172)).toBe(true);
    const exact = await decodeUntilError(temp.file('sizes.ts'), { onCorruptInput: 'warn' });
    expect(exact.error).toBeUndefined();
    expect(exact.frames.length).toBeGreaterThan(native.frames.length);
  });

  it('a partial last frame (ffmpeg stops mid-frame) is an error, not a short frame', async () => {
    // A stand-in for an ffmpeg killed mid-write: it announces a 4x4 frame and writes 20 of its 48 bytes.
    const fakeFfmpeg = temp.file('fake-ffmpeg.sh');
    writeFileSync(
      fakeFfmpeg,
      [
        '#!/bin/sh',
        'echo "[Parsed_showinfo_1 @ 0x1] [info] config in time_base: 1/25, frame_rate: 25/1" >&2',
        'echo "[Parsed_showinfo_1 @ 0x1] [info] n:   0 pts:      0 pts_time:0       pos: 1 fmt:rgb24 sar:1/1 s:4x4 i:P" >&2',
        'head -c 20 /dev/zero',
        '',
      ].join('\n'),
    );
    chmodSync(fakeFfmpeg, 0o755);
    const { frames, error } = await decodeUntilError(media('carving_ice.mp4'), { tools: { ffmpeg: fakeFfmpeg } });
    expect(frames).toHaveLength(0);
    expect(error?.code).toBe('AL_ERR_DECODE_FAILED');
    expect(error?.message).toMatch(/last frame is partial \(20 bytes left over\)/);
  });
});
