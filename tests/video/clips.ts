// Test clips made on the fly from the shared media (ffmpeg), so no binary test data is checked in.
import { copyFileSync, openSync, readFileSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { makeClip, media } from './helpers.js';

/** Same h264 stream as arm_wrestling.mp4 with the moov box moved to the front (+faststart). */
export function makeFaststart(out: string): void {
  makeClip(['-i', media('arm_wrestling.mp4'), '-c', 'copy', '-movflags', '+faststart', out]);
}

/** A faststart mp4 cut in half: the header (moov) is intact, half the frame data is missing. */
export function makeCutData(out: string, faststart: string): void {
  const bytes = readFileSync(faststart);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** arm_wrestling.mp4 (moov at the end) cut to its first 60 kB: no header at all. */
export function makeNoHeader(out: string): void {
  writeFileSync(out, readFileSync(media('arm_wrestling.mp4')).subarray(0, 60_000));
}

/** arm_wrestling.mp4 with 300 kB of its frame data overwritten by pseudo-random bytes. */
export function makeCorruptData(out: string): void {
  copyFileSync(media('arm_wrestling.mp4'), out);
  const garbage = Buffer.alloc(300_000);
  let state = 12345;
  for (let i = 0; i < garbage.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    garbage[i] = state >>> 24;
  }
  const fd = openSync(out, 'r+');
  writeSync(fd, garbage, 0, garbage.length, 20_000);
  closeSync(fd);
  if (statSync(out).size !== statSync(media('arm_wrestling.mp4')).size) throw new Error('corrupt copy changed size');
}

/** Variable frame rate: frame N at (N + 0.02 N^2) / 30 s, kept as real timestamps (-fps_mode vfr). */
export function makeVfr(out: string): void {
  makeClip([
    '-i', media('carving_ice.mp4'), '-an',
    '-vf', "setpts='(N+N*N*0.02)/30/TB'", '-fps_mode', 'vfr',
    '-c:v', 'libx264', '-preset', 'ultrafast', out,
  ]);
}

/** A 64x48 black clip with a 16x8 red block in its top-left corner, for checking orientation. */
export function makeMarker(out: string): void {
  makeClip([
    '-f', 'lavfi', '-i', 'color=c=black:s=64x48:d=0.4,drawbox=x=0:y=0:w=16:h=8:c=red:t=fill',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', out,
  ]);
}

/** Copy of `source` with the legacy rotate tag set (ffmpeg turns it into a display matrix). */
export function makeRotated(out: string, source: string, rotateTag: number): void {
  makeClip(['-i', source, '-c', 'copy', '-metadata:s:v:0', `rotate=${rotateTag}`, out]);
}

/** One second of a sine tone, no video. */
export function makeAudioOnly(out: string): void {
  makeClip(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', out]);
}
