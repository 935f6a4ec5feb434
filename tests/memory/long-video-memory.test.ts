// Bounded memory: a 10-minute 720p video must peak below 1.3x the RSS of a 10-second one. Frames
// flow through a bounded queue and only per-window scores are kept, so length must not matter.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SHARED_MODELS = resolve(process.cwd(), '../shared/models');
const dir = mkdtempSync(join(tmpdir(), 'al-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 720p h264 clip with motion; 10 fps keeps the 10-minute encode affordable on 2 cores. */
function makeClip(name: string, seconds: number): string {
  const out = join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=10:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '100', out]);
  return out;
}

function peakRss(video: string): { maxRssKb: number; windows: number; duration: number } {
  const r = spawnSync(process.execPath, ['tests/memory/analyze-rss.mjs', video, join(dir, 'cache'), SHARED_MODELS], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`analysis failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { maxRssKb: number; windows: number; duration: number };
}

describe('memory on long videos', () => {
  let short = '';
  let long = '';
  beforeAll(() => {
    short = makeClip('short.mp4', 10);
    long = makeClip('long.mp4', 600);
  }, 300_000);

  it('a 10-minute 720p video peaks below 1.3x the RSS of a 10-second one', () => {
    peakRss(short); // converts and caches the model, so both measured runs do the same work
    const a = peakRss(short);
    const b = peakRss(long);
    console.log(JSON.stringify({ short_rss_mb: a.maxRssKb / 1024, long_rss_mb: b.maxRssKb / 1024, ratio: b.maxRssKb / a.maxRssKb }));
    expect(a.duration).toBeCloseTo(10, 0);
    expect(b.duration).toBeCloseTo(600, 0);
    expect(b.windows).toBe(600);
    expect(b.maxRssKb / a.maxRssKb).toBeLessThan(1.3);
  }, 600_000);
});
