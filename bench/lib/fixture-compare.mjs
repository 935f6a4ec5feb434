// Checks a run against a MoViNet reference fixture (/work/shared/fixtures/movinet/<clip>_fps<x>.json):
// the decoded input bytes, per-frame top-5 and the full logits it stores for a few frames. The fixture
// prints probabilities with 6 significant digits and logits with 7, so "equal" means equal once our
// numbers are printed the same way: the exact test for the same runtime on the same frames.

/** Softmax in float64 (max-shifted, so large logits do not overflow). */
export function softmax(logits) {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Top-k by probability; equal probabilities keep the lower class index first (as tf.topk does). */
export function topK(probs, k) {
  const order = probs.map((prob, index) => ({ index, prob }));
  order.sort((a, b) => b.prob - a.prob || a.index - b.index);
  return order.slice(0, k);
}

const PROB_DIGITS = 6;
const LOGIT_DIGITS = 7;

/** Whether `ours` prints as the fixture's decimal at that many significant digits. */
function equalAtDigits(ours, fixtureValue, digits) {
  return Number(ours.toPrecision(digits)) === fixtureValue;
}

function bytesEqual(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * @param {object} fixture parsed fixture JSON
 * @param {{ frames: Uint8Array[], logitsPerFrame: Float32Array[] }} run rgb24 frames fed and logits got
 */
export function compareWithFixture(fixture, { frames, logitsPerFrame }) {
  const inputFramesChecked = Object.keys(fixture.input_frames_rgb24_base64 ?? {}).map(Number);
  const inputFramesIdentical = inputFramesChecked.every((i) =>
    frames[i] !== undefined && bytesEqual(frames[i], Buffer.from(fixture.input_frames_rgb24_base64[i], 'base64')));

  let top5IndexMatches = 0;
  let maxProbAbsDiff = 0;
  let probsEqual = true;
  const mismatchedFrames = [];
  for (const expected of fixture.per_frame) {
    const logits = logitsPerFrame[expected.frame];
    if (!logits) { mismatchedFrames.push(expected.frame); continue; }
    const ours = topK(softmax(logits), expected.top5.length);
    const sameIndices = ours.every((o, i) => o.index === expected.top5[i].index);
    if (sameIndices) top5IndexMatches++;
    else mismatchedFrames.push(expected.frame);
    ours.forEach((o, i) => {
      maxProbAbsDiff = Math.max(maxProbAbsDiff, Math.abs(o.prob - expected.top5[i].prob));
      probsEqual &&= equalAtDigits(o.prob, expected.top5[i].prob, PROB_DIGITS);
    });
  }

  const logitFrames = Object.keys(fixture.full_logits ?? {}).map(Number);
  let maxLogitAbsDiff = 0;
  let logitsEqual = true;
  for (const frame of logitFrames) {
    const ours = logitsPerFrame[frame];
    const expected = fixture.full_logits[frame];
    if (!ours || ours.length !== expected.length) { logitsEqual = false; continue; }
    expected.forEach((v, i) => {
      maxLogitAbsDiff = Math.max(maxLogitAbsDiff, Math.abs(ours[i] - v));
      logitsEqual &&= equalAtDigits(ours[i], v, LOGIT_DIGITS);
    });
  }

  const frameCountMatches = logitsPerFrame.length === fixture.num_frames;
  return {
    frames: { ours: logitsPerFrame.length, fixture: fixture.num_frames },
    input_frames_identical: { frames: inputFramesChecked, identical: inputFramesIdentical },
    top5_index_match: `${top5IndexMatches}/${fixture.per_frame.length}`,
    top5_mismatched_frames: mismatchedFrames.slice(0, 10),
    top5_probs_equal_at_6_digits: probsEqual,
    max_top5_prob_abs_diff: maxProbAbsDiff,
    full_logits_frames: logitFrames,
    full_logits_equal_at_7_digits: logitsEqual,
    max_logit_abs_diff: maxLogitAbsDiff,
    match: frameCountMatches && inputFramesIdentical && mismatchedFrames.length === 0 && probsEqual && logitsEqual,
  };
}
