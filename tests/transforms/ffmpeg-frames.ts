// Test helper: decode chosen frames of a small clip to packed RGB with the ffmpeg CLI, the way PyAV
// hands frames to MMAction2 (every decoded frame, in decode order, no frame-rate conversion).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { ImageU8 } from '../../src/core/transforms/image.js';

export function ffprobeSize(file: string): { width: number; height: number } {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ffprobe failed on ${file}: ${r.stderr}`);
  const [width, height] = r.stdout.trim().split(',').map(Number);
  return { width: width!, height: height! };
}

/** Frames at the given 0-based indices (duplicates allowed, any order), decoded once each. */
export function decodeFrames(file: string, indices: readonly number[]): ImageU8[] {
  const { width, height } = ffprobeSize(file);
  const unique = [...new Set(indices)].sort((a, b) => a - b);
  const last = unique[unique.length - 1]!;
  // A short select list keeps a 1080p clip out of memory; ffmpeg's expression parser rejects long
  // ones, so many frames are taken by decoding up to the last one needed.
  const few = unique.length <= 24;
  const filter = few ? ['-vf', `select='${unique.map((i) => `eq(n\\,${i})`).join('+')}'`] : ['-frames:v', String(last + 1)];
  const frameBytes = width * height * 3;
  const expected = few ? unique.length : last + 1;
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, ...filter, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: frameBytes * expected + 1024 },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr.toString()}`);
  if (r.stdout.length !== frameBytes * expected) {
    throw new Error(`ffmpeg returned ${r.stdout.length} bytes, expected ${expected} frames of ${frameBytes}`);
  }
  const offsetOf = (frameIndex: number, k: number): number => (few ? k : frameIndex) * frameBytes;
  const byIndex = new Map<number, ImageU8>();
  unique.forEach((frameIndex, k) => {
    byIndex.set(frameIndex, { width, height, data: new Uint8Array(r.stdout.subarray(offsetOf(frameIndex, k), offsetOf(frameIndex, k) + frameBytes)) });
  });
  return indices.map((i) => byIndex.get(i)!);
}

export function sha256(bytes: Uint8Array | Float32Array): string {
  return createHash('sha256').update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest('hex');
}
