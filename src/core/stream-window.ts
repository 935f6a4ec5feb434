// Why live streams run in windows: MoViNet's stream head averages its features over every frame since
// the last reset (a running sum and a frame count in the states). On a camera that never stops, that
// average (1) follows a new action ever more slowly, and (2) in the int8 model, whose sum is stored as
// uint8 codes, saturates after about 200 frames (40 s at 5 fps), after which the labels drift to
// unrelated classes (carving_ice.mp4 looped: "chiseling stone", then "sawing wood", from ~330 frames).
// The same holds for a long file: carving_ice.mp4 looped for 70 s fell from 0.99 to 0.49 for the right
// label with one unbounded stream. So two streams run over the same frames, each restarted every
// `window` frames, half a window apart, and the one that has seen more frames is reported: its history
// is always between window/2 and window frames (before the first restart, every frame since the start).
// Used by file analysis and the live socket (src/app/windowed-stream.ts) and the page's own engine.

/** Frames per window for MoViNet: its training clips are 50 frames (10 s at 5 fps). The model spec's
 *  output.stream.window_frames carries it; this is the page's default when the server does not say. */
export const LIVE_WINDOW_FRAMES = 50;

export interface WindowStep {
  /** Per lane (0, 1): start this lane from zero states before the frame. */
  restart: [boolean, boolean];
  /** Per lane: whether the lane runs on this frame (lane 1 starts half a window in). */
  active: [boolean, boolean];
  /** The lane whose scores are reported for this frame. */
  report: 0 | 1;
}

/** What to do at frame `k` (0-based since the stream started) with windows of `window` frames. */
export function windowStep(k: number, window: number): WindowStep {
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`window is ${window}; expected an integer >= 2 frames`);
  const half = Math.floor(window / 2);
  const lane1 = k >= half;
  const age0 = (k % window) + 1; // frames lane 0 has seen, this one included
  const age1 = lane1 ? ((k - half) % window) + 1 : 0;
  return {
    restart: [k > 0 && k % window === 0, lane1 && (k - half) % window === 0],
    active: [true, lane1],
    report: age0 >= age1 ? 0 : 1,
  };
}
