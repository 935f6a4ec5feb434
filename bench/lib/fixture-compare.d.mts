// Types for fixture-compare.mjs.
export interface MovinetFixture {
  num_frames: number;
  decode: { args: string[] };
  per_frame: { frame: number; top5: { index: number; label?: string; prob: number }[] }[];
  full_logits: Record<string, number[]>;
  input_frames_rgb24_base64?: Record<string, string>;
}

export interface FixtureComparison {
  frames: { ours: number; fixture: number };
  input_frames_identical: { frames: number[]; identical: boolean };
  /** "matched/total" frames whose top-5 class indices equal the fixture's, in order. */
  top5_index_match: string;
  top5_mismatched_frames: number[];
  top5_probs_equal_at_6_digits: boolean;
  max_top5_prob_abs_diff: number;
  full_logits_frames: number[];
  full_logits_equal_at_7_digits: boolean;
  max_logit_abs_diff: number;
  match: boolean;
}

export function softmax(logits: ArrayLike<number>): number[];
export function topK(probs: readonly number[], k: number): { index: number; prob: number }[];
export function compareWithFixture(
  fixture: MovinetFixture,
  run: { frames: Uint8Array[]; logitsPerFrame: Float32Array[] },
): FixtureComparison;
