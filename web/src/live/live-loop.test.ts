// The live loop's scheduling on a fake clock: the engine here is a stand-in whose only job is to take
// a known time, since what is tested is when frames are grabbed, skipped and reported.
import { describe, expect, it } from 'vitest';
import { percentile, startLiveLoop, type LiveEngine, type LiveLoop, type LiveResult, type LoopClock } from './live-loop.js';

/** A clock whose time moves only in advanceTo; timers run in time order, promises settle in between. */
function fakeClock(): LoopClock & { advanceTo(t: number): Promise<void>; readonly time: number } {
  let time = 0;
  let nextId = 1;
  const timers: { id: number; at: number; fn: () => void }[] = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    get time() {
      return time;
    },
    now: () => time,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.push({ id, at: time + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      const i = timers.findIndex((t) => t.id === handle);
      if (i >= 0) timers.splice(i, 1);
    },
    async advanceTo(target) {
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.id - b.id);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        time = next.at;
        next.fn();
        await flush();
      }
      time = target;
    },
  };
}

/** An engine that takes `inferMs(call)` of clock time per frame and records what it was given. */
function timedEngine(clock: LoopClock, inferMs: (call: number) => number) {
  const calls: { frame: number; tClient: number; at: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const engine: LiveEngine = {
    step(rgb, tClient) {
      const ms = inferMs(calls.length);
      calls.push({ frame: rgb[0]!, tClient, at: clock.now() });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) =>
        clock.setTimeout(() => {
          inFlight--;
          resolve({ topk: [{ label: `frame ${rgb[0]}`, index: rgb[0]!, score: 1 }], inferMs: ms });
        }, ms),
      );
    },
  };
  return { engine, calls, maxInFlight: () => maxInFlight };
}

/** A camera at 30 fps: the frame it shows at time t is number floor(t * 30 / 1000) (stored in byte 0). */
const camera = (clock: LoopClock) => ({ grab: () => Uint8Array.of(Math.floor((clock.now() * 30) / 1000) % 256) });

/** Stops the loop, moving the clock on so that the frame in flight can settle. */
async function stopAndSettle(loop: LiveLoop, clock: ReturnType<typeof fakeClock>): Promise<void> {
  const stopping = loop.stop();
  await clock.advanceTo(clock.time + 10_000);
  await stopping;
}

describe('live loop', () => {
  it('grabs at the model rate while the engine keeps up, one frame per slot', async () => {
    const clock = fakeClock();
    const { engine, calls, maxInFlight } = timedEngine(clock, () => 30);
    const results: LiveResult[] = [];
    const loop = startLiveLoop({ fps: 5, engine, source: camera(clock), clock, onResult: (r) => results.push(r), onError: (e) => expect.fail(String(e)) });
    await clock.advanceTo(1000);
    expect(calls.map((c) => c.at)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(calls.map((c) => c.tClient)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(maxInFlight()).toBe(1);
    expect(results.map((r) => r.latencyMs)).toEqual([30, 30, 30, 30, 30]);
    expect(results.map((r) => r.topk[0]!.label)).toEqual(['frame 0', 'frame 6', 'frame 12', 'frame 18', 'frame 24']);
    expect(loop.stats()).toEqual({ frames: 5, skipped: 0, inferFps: 5, inferMsP50: 30, latencyMsP50: 30, latencyMsP95: 30 });
    await stopAndSettle(loop, clock);
  });

  it('with a slower engine: never two frames in flight, grabs the newest frame when free, counts skipped slots', async () => {
    const clock = fakeClock();
    const { engine, calls, maxInFlight } = timedEngine(clock, () => 450);
    const results: LiveResult[] = [];
    const loop = startLiveLoop({ fps: 5, engine, source: camera(clock), clock, onResult: (r) => results.push(r), onError: (e) => expect.fail(String(e)) });
    await clock.advanceTo(1800);
    expect(maxInFlight()).toBe(1);
    // Each grab happens as soon as the previous frame is scored, with what the camera shows then.
    expect(calls.map((c) => c.at)).toEqual([0, 450, 900, 1350, 1800]);
    expect(calls.map((c) => c.frame)).toEqual([0, 13, 27, 40, 54]); // what the camera showed at 0, 450, 900, ...
    expect(results.map((r) => r.latencyMs)).toEqual([450, 450, 450, 450]);
    const stats = loop.stats();
    expect(stats.skipped).toBe(4); // each late grab came a full 200 ms slot (and 50 ms) late
    expect(stats.inferFps).toBeCloseTo(1000 / 450, 9);
    expect(stats.latencyMsP95).toBe(450);
    await stopAndSettle(loop, clock);
  });

  it('goes back to the model rate once the engine is fast again (no burst to catch up)', async () => {
    const clock = fakeClock();
    const { engine, calls } = timedEngine(clock, (call) => (call === 0 ? 700 : 20));
    const loop = startLiveLoop({ fps: 5, engine, source: camera(clock), clock, onResult: () => undefined, onError: (e) => expect.fail(String(e)) });
    await clock.advanceTo(1500);
    expect(calls.map((c) => c.at)).toEqual([0, 700, 900, 1100, 1300, 1500]);
    expect(loop.stats().skipped).toBe(2);
    await stopAndSettle(loop, clock);
  });

  it('waits for the camera without counting the wait as skipped frames', async () => {
    const clock = fakeClock();
    const { engine, calls } = timedEngine(clock, () => 10);
    const source = { grab: () => (clock.now() >= 130 ? Uint8Array.of(1) : null) };
    const loop = startLiveLoop({ fps: 5, engine, source, clock, onResult: () => undefined, onError: (e) => expect.fail(String(e)) });
    await clock.advanceTo(600);
    expect(calls.map((c) => c.at)).toEqual([150, 350, 550]); // retried every 50 ms, then at the rate
    expect(loop.stats().skipped).toBe(0);
    await stopAndSettle(loop, clock);
  });

  it('stop(): no grab and no result after it; resolves once the frame in flight settles', async () => {
    const clock = fakeClock();
    const { engine, calls } = timedEngine(clock, () => 100);
    const results: LiveResult[] = [];
    const loop = startLiveLoop({ fps: 5, engine, source: camera(clock), clock, onResult: (r) => results.push(r), onError: (e) => expect.fail(String(e)) });
    await clock.advanceTo(250); // frame 2 in flight since 200
    let stoppedAt: number | undefined;
    void loop.stop().then(() => (stoppedAt = clock.time));
    await clock.advanceTo(260);
    expect(stoppedAt).toBeUndefined();
    await clock.advanceTo(2000);
    expect(stoppedAt).toBe(300);
    expect(calls).toHaveLength(2);
    expect(results).toHaveLength(1);
  });

  it('stops and reports once when the engine fails', async () => {
    const clock = fakeClock();
    const errors: unknown[] = [];
    let steps = 0;
    const engine: LiveEngine = {
      step: () => (++steps === 3 ? Promise.reject(new Error('socket closed')) : Promise.resolve({ topk: [], inferMs: 1 })),
    };
    startLiveLoop({ fps: 10, engine, source: camera(clock), clock, onResult: () => undefined, onError: (e) => errors.push(e) });
    await clock.advanceTo(2000);
    expect(steps).toBe(3);
    expect(errors).toEqual([new Error('socket closed')]);
  });

  it('stops when the result callback throws', async () => {
    const clock = fakeClock();
    const { engine, calls } = timedEngine(clock, () => 5);
    const errors: unknown[] = [];
    startLiveLoop({ fps: 5, engine, source: camera(clock), clock, onResult: () => { throw new Error('render failed'); }, onError: (e) => errors.push(e) });
    await clock.advanceTo(1000);
    expect(calls).toHaveLength(1);
    expect(errors).toEqual([new Error('render failed')]);
  });

  it('stats cover a sliding window: old latencies leave it', async () => {
    const clock = fakeClock();
    // 5 slow frames (150 ms), then fast ones (10 ms).
    const { engine } = timedEngine(clock, (call) => (call < 5 ? 150 : 10));
    const loop = startLiveLoop({ fps: 5, engine, source: camera(clock), clock, windowMs: 1000, onResult: () => undefined, onError: (e) => expect.fail(String(e)) });
    await clock.advanceTo(1000);
    expect(loop.stats()).toMatchObject({ frames: 5, latencyMsP50: 150, latencyMsP95: 150, inferMsP50: 150 });
    await clock.advanceTo(1600); // in the window [600, 1600]: slow results at 750, 950, fast ones at 1010, 1210, 1410
    expect(loop.stats()).toMatchObject({ frames: 8, latencyMsP50: 10, latencyMsP95: 150 });
    await clock.advanceTo(3000);
    expect(loop.stats()).toMatchObject({ frames: 15, latencyMsP50: 10, latencyMsP95: 10, inferMsP50: 10, inferFps: 5 });
    await stopAndSettle(loop, clock);
  });

  it('refuses a rate that is not a positive number', () => {
    const clock = fakeClock();
    const { engine } = timedEngine(clock, () => 1);
    expect(() => startLiveLoop({ fps: 0, engine, source: camera(clock), clock, onResult: () => undefined, onError: () => undefined })).toThrow(/fps is 0/);
  });
});

describe('percentile', () => {
  it('is the nearest rank of an ascending list', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 95), percentile(xs, 100), percentile(xs, 0)]).toEqual([10, 19, 20, 1]);
    expect(percentile([], 50)).toBe(0);
  });
});
