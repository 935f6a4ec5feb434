// Backpressure, cancellation and early exit on a long 720p clip: memory stays flat with a slow
// consumer, and ffmpeg never outlives the iterator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/video/decode.js';
import { isProcessAlive, makeClip, makeTempDir } from './helpers.js';

const temp = makeTempDir();
const LONG = temp.file('long720.mp4');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  // 150 s of 1280x720 at 10 fps (1500 frames): 10 s of testsrc encoded once, then looped by remuxing.
  makeClip(['-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=10:duration=10', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', temp.file('short720.mp4')]);
  makeClip(['-stream_loop', '14', '-i', temp.file('short720.mp4'), '-c', 'copy', LONG]);
});
afterAll(() => temp.remove());

describe('decodeFrames backpressure', () => {
  it('with a slow consumer the queue stays within its bound, ffmpeg waits, and RSS stays flat', async () => {
    const queueFrames = 4;
    const stream = decodeFrames(LONG, { geometry: { kind: 'native' }, queueFrames });
    const frameBytes = 1280 * 720 * 3;
    let consumed = 0;
    let baselineRss = 0;
    let peakRss = 0;
    let maxAhead = 0;
    for await (const frame of stream) {
      expect(frame.data.length).toBe(frameBytes);
      consumed++;
      await sleep(10); // the slow consumer (a model, say)
      if (consumed === 20) baselineRss = process.memoryUsage().rss;
      if (consumed > 20) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      // Frames ffmpeg has handed over that the consumer has not taken: the queue plus one waiting push.
      maxAhead = Math.max(maxAhead, stream.stats.framesDecoded - consumed);
      if (consumed === 150) break;
    }
    expect(stream.stats.peakQueuedFrames).toBeLessThanOrEqual(queueFrames);
    expect(stream.stats.peakQueuedFrames).toBeGreaterThan(0);
    expect(maxAhead).toBeLessThanOrEqual(queueFrames + 1);
    // Unbounded, ffmpeg would have pushed hundreds of 2.7 MB frames by now (1 GB+).
    const growthMb = (peakRss - baselineRss) / 2 ** 20;
    expect(growthMb).toBeLessThan(80);
    console.log(JSON.stringify({ test: 'backpressure', consumed, peakQueued: stream.stats.peakQueuedFrames, maxAhead, rssGrowthMb: Number(growthMb.toFixed(1)) }));
    expect(isProcessAlive(stream.stats.pid!)).toBe(false);
  });
});

describe('decodeFrames cancellation', () => {
  it('an AbortSignal ends the iterator with AL_ERR_ABORTED and kills ffmpeg', async () => {
    const controller = new AbortController();
    const stream = decodeFrames(LONG, { geometry: { kind: 'exact', width: 172, height: 172 }, signal: controller.signal });
    let seen = 0;
    const run = (async () => {
      for await (const _frame of stream) {
        seen++;
        if (seen === 5) setTimeout(() => controller.abort(), 0);
        await sleep(5);
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'AL_ERR_ABORTED' });
    expect(seen).toBeGreaterThanOrEqual(5);
    expect(seen).toBeLessThan(40);
    expect(stream.stats.pid).toBeGreaterThan(0);
    expect(isProcessAlive(stream.stats.pid!)).toBe(false);
  });

  it('an already aborted signal throws before ffmpeg starts', async () => {
    const stream = decodeFrames(LONG, { geometry: { kind: 'native' }, signal: AbortSignal.abort() });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'AL_ERR_ABORTED' });
    expect(stream.stats.pid).toBeUndefined();
  });

  it('breaking out of for-await early kills ffmpeg', async () => {
    const stream = decodeFrames(LONG, { geometry: { kind: 'native' }, queueFrames: 2 });
    let seen = 0;
    for await (const frame of stream) {
      expect(frame.index).toBe(seen);
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
    expect(isProcessAlive(stream.stats.pid!)).toBe(false);
  });
});
