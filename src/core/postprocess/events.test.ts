import { describe, expect, it } from 'vitest';
import { detectEvents, type EventWindow } from './events.js';

const labels = ['walk', 'run', 'jump'];
const opts = { enter_score: 0.5, exit_score: 0.3, min_duration_sec: 0 };

/** 1 s windows from rows of [walk, run, jump] scores; null = no data. */
function series(rows: (number[] | null)[]): EventWindow[] {
  return rows.map((r, k) => ({ t_start: k, t_end: k + 1, scores: r ? Float32Array.from(r) : null }));
}

describe('detectEvents', () => {
  it('enters at enter_score, stays down to exit_score (hysteresis), leaves below it', () => {
    const w = series([
      [0.4, 0.3, 0.3], // walk top but 0.4 < enter 0.5: nothing
      [0.6, 0.2, 0.2], // enter walk at t=1
      [0.35, 0.33, 0.32], // 0.35 >= exit 0.3 and still top: stay
      [0.29, 0.28, 0.27], // 0.29 < exit: leave at t=3
      [0.45, 0.3, 0.25], // top but below enter: no new event
    ]);
    const events = detectEvents(w, opts, labels);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ label: 'walk', index: 0, start: 1, end: 3 });
    expect(events[0].peak).toBeCloseTo(0.6, 6);
  });

  it('ends an event when another label takes the top, and may start that label in the same window', () => {
    const w = series([
      [0.7, 0.2, 0.1],
      [0.4, 0.45, 0.15], // walk still >= exit but no longer top; run top at 0.45 < enter: nothing
      [0.2, 0.7, 0.1], // run enters
      [0.1, 0.3, 0.6], // jump takes over and enters in the same window
    ]);
    expect(detectEvents(w, opts, labels).map((e) => [e.label, e.start, e.end])).toEqual([
      ['walk', 0, 1],
      ['run', 2, 3],
      ['jump', 3, 4],
    ]);
  });

  it('breaks ties for the top by the lower index', () => {
    const events = detectEvents(series([[0.5, 0.5, 0]]), opts, labels);
    expect(events.map((e) => e.label)).toEqual(['walk']);
  });

  it('drops events shorter than min_duration_sec and ends events at windows without data', () => {
    const w = series([[0.8, 0.1, 0.1], [0.8, 0.1, 0.1], null, [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]);
    expect(detectEvents(w, opts, labels).map((e) => [e.label, e.start, e.end])).toEqual([
      ['walk', 0, 2],
      ['walk', 3, 4],
      ['jump', 4, 5],
    ]);
    const long = detectEvents(w, { ...opts, min_duration_sec: 1.5 }, labels);
    expect(long.map((e) => [e.label, e.start, e.end])).toEqual([['walk', 0, 2]]);
  });

  it('tracks the peak over the whole event', () => {
    const [e] = detectEvents(series([[0.55, 0.2, 0.25], [0.9, 0.05, 0.05], [0.4, 0.3, 0.3]]), opts, labels);
    expect(e.end).toBe(3);
    expect(e.peak).toBeCloseTo(0.9, 6);
  });
});
