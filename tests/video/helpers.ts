// Shared bits for the video tests: where the real data is, temp dirs, running ffmpeg directly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RgbFrame } from '../../src/core/video-types.js';

export const SHARED = path.resolve(process.cwd(), '../shared');
export const MEDIA = path.join(SHARED, 'media');
export const media = (name: string) => path.join(MEDIA, name);

export function makeTempDir(): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-video-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs ffmpeg (or ffprobe) synchronously; throws with its stderr when it fails. */
export function run(tool: 'ffmpeg' | 'ffprobe', args: string[], maxBuffer = 256 * 1024 * 1024): Buffer {
  const result = spawnSync(tool, args, { maxBuffer });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr?.toString()}`);
  return result.stdout;
}

/** `ffmpeg -nostdin -v error -y <args>` to make a test clip. */
export function makeClip(args: string[]): void {
  run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
}

/** Frame count by actually decoding (independent of our code): ffprobe -count_frames. */
export function countFrames(file: string): number {
  const out = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  return Number(out.toString().trim());
}

/** Presentation times of every decoded frame, per ffprobe. */
export function framePtsTimes(file: string): number[] {
  const out = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', file]);
  return out
    .toString()
    .split('\n')
    .map((l) => l.trim().replace(/,$/, ''))
    .filter((l) => l.length > 0)
    .map(Number);
}

export async function collect(frames: AsyncIterable<RgbFrame>): Promise<RgbFrame[]> {
  const out: RgbFrame[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function concatFrames(frames: readonly RgbFrame[]): Buffer {
  return Buffer.concat(frames.map((f) => f.data));
}
