// Containers, variable frame rate, rotation and output geometry, on clips made from the shared media.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../src/core/video-types.js';
import { decodeFrames } from '../../src/video/decode.js';
import { probeVideo } from '../../src/video/probe.js';
import { makeMarker, makeRotated, makeVfr } from './clips.js';
import { collect, countFrames, framePtsTimes, makeClip, makeTempDir, media, run } from './helpers.js';

const temp = makeTempDir();
const containers: Record<string, string> = {
  '.mp4': media('arm_wrestling.mp4'),
  '.avi': media('makeup_mpeg4.avi'),
  '.gif': media('jumpingjack.gif'),
  '.mov': temp.file('carving.mov'),
  '.mkv': temp.file('arm.mkv'),
  '.webm': temp.file('carving.webm'),
};

beforeAll(() => {
  makeClip(['-i', media('carving_ice.mp4'), '-c', 'copy', containers['.mov']]);
  makeClip(['-i', media('arm_wrestling.mp4'), '-c', 'copy', containers['.mkv']]);
  makeClip(['-i', media('carving_ice.mp4'), '-an', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', containers['.webm']]);
  makeVfr(temp.file('vfr.mp4'));
  makeMarker(temp.file('marker.mp4'));
  makeRotated(temp.file('rot90tag.mp4'), temp.file('marker.mp4'), 90);
  makeRotated(temp.file('rot270tag.mp4'), temp.file('marker.mp4'), 270);
});
afterAll(() => temp.remove());

function strictlyIncreasing(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]);
}

describe('decodeFrames across containers', () => {
  it.each(Object.keys(containers))('%s: every frame, at native and exact size', async (ext) => {
    const file = containers[ext];
    const info = await probeVideo(file);
    const expectedCount = countFrames(file);
    const native = await collect(decodeFrames(file, { geometry: { kind: 'native' } }));
    expect(native.length).toBe(expectedCount);
    expect(native.every((f) => f.width === info.width && f.height === info.height && f.data.length === info.width * info.height * 3)).toBe(true);
    expect(strictlyIncreasing(native.map((f) => f.ptsSec))).toBe(true);

    const small = await collect(decodeFrames(file, { geometry: { kind: 'exact', width: 96, height: 64 } }));
    expect(small.length).toBe(expectedCount);
    expect(small.every((f) => f.width === 96 && f.height === 64 && f.data.length === 96 * 64 * 3)).toBe(true);
    // Real pictures, not blank buffers: some bytes differ between the first and the last frame.
    expect(Buffer.from(small[0].data).equals(Buffer.from(small[small.length - 1].data))).toBe(false);
  });
});

describe('decodeFrames timestamps', () => {
  it('gives the real, strictly increasing timestamps of a variable frame rate clip (no duplicated frames)', async () => {
    const file = temp.file('vfr.mp4');
    const frames = await collect(decodeFrames(file, { geometry: { kind: 'exact', width: 32, height: 32 } }));
    const expected = framePtsTimes(file);
    expect(frames.length).toBe(expected.length);
    frames.forEach((f, i) => expect(f.ptsSec).toBeCloseTo(expected[i], 5));
    expect(strictlyIncreasing(frames.map((f) => f.ptsSec))).toBe(true);
    // The gaps grow: this really is VFR, and plain `-f rawvideo` output (cfr) would duplicate frames.
    const gaps = frames.slice(1).map((f, i) => f.ptsSec - frames[i].ptsSec);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[0] * 3);
    const cfrBytes = run('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=32:32', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    expect(cfrBytes.length / (32 * 32 * 3)).toBeGreaterThan(frames.length);
  });

  it('resamples with fps and stops at maxFrames', async () => {
    const file = media('arm_wrestling.mp4');
    const info = await probeVideo(file);
    const at5 = await collect(decodeFrames(file, { geometry: { kind: 'native' }, fps: 5 }));
    expect(at5.length).toBe(Math.round(info.durationSec * 5));
    const firstSeven = await collect(decodeFrames(file, { geometry: { kind: 'native' }, maxFrames: 7 }));
    expect(firstSeven.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

/** Where the red marker (top-left in the unrotated clip) ended up. */
function markerCorner(frame: RgbFrame): string {
  const red = (x: number, y: number) => frame.data[(y * frame.width + x) * 3] > 128;
  const right = frame.width - 2;
  const bottom = frame.height - 2;
  if (red(1, 1)) return 'top-left';
  if (red(right, 1)) return 'top-right';
  if (red(1, bottom)) return 'bottom-left';
  if (red(right, bottom)) return 'bottom-right';
  return 'none';
}

describe('decodeFrames rotation', () => {
  it('turns frames the way probe says (clockwise degrees) and swaps their size', async () => {
    const plain = await collect(decodeFrames(temp.file('marker.mp4'), { geometry: { kind: 'native' }, maxFrames: 1 }));
    expect(markerCorner(plain[0])).toBe('top-left');
    // A clockwise quarter turn moves the top-left corner to the top-right, a counter-clockwise one to the bottom-left.
    const cornerFor: Record<number, string> = { 90: 'top-right', 270: 'bottom-left' };
    for (const name of ['rot90tag.mp4', 'rot270tag.mp4']) {
      const info = await probeVideo(temp.file(name));
      const [frame] = await collect(decodeFrames(temp.file(name), { geometry: { kind: 'native' }, maxFrames: 1 }));
      expect([frame.width, frame.height]).toEqual([48, 64]);
      expect([frame.width, frame.height]).toEqual([info.width, info.height]);
      expect(markerCorner(frame)).toBe(cornerFor[info.rotation]);
    }
  });

  it('short-side keeps the display aspect of a rotated clip', async () => {
    const [frame] = await collect(decodeFrames(temp.file('rot90tag.mp4'), { geometry: { kind: 'short-side', size: 24 } }));
    expect([frame.width, frame.height]).toEqual([24, 32]);
  });
});

describe('decodeFrames short-side geometry', () => {
  it('sets the short side and rounds the long side half up (MMAction2 Resize(-1, S))', async () => {
    const file = media('makeup_mpeg4.avi'); // 320x240
    const info = await probeVideo(file);
    const [frame] = await collect(decodeFrames(file, { geometry: { kind: 'short-side', size: 256 }, maxFrames: 1 }));
    expect(frame.height).toBe(256);
    expect(frame.width).toBe(Math.floor((info.width * 256) / info.height + 0.5));
  });
});
