/** One ranked class. `score` is a probability in [0, 1]. */
export interface ScoredLabel {
  label: string;
  index: number;
  score: number;
}

/**
 * The k highest scores at or above `threshold`, best first. Ties go to the lower class index, so
 * the order never depends on sort stability. NaN scores are never listed.
 * Runs in O(n * k) with no allocation per class: n is ~600, k is ~5.
 */
export function topK(
  scores: ArrayLike<number>,
  k: number,
  threshold: number,
  labels?: readonly string[],
): ScoredLabel[] {
  const picked: number[] = []; // class indices, best first
  if (k <= 0) return [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s >= threshold)) continue; // also skips NaN
    // Scanning in index order and inserting only on a strictly greater score keeps lower indices first on ties.
    if (picked.length === k && !(s > scores[picked[k - 1]])) continue;
    let pos = picked.length;
    while (pos > 0 && s > scores[picked[pos - 1]]) pos--;
    picked.splice(pos, 0, i);
    if (picked.length > k) picked.pop();
  }
  return picked.map((index) => ({ label: labels?.[index] ?? `class_${index}`, index, score: scores[index] }));
}

/** Index of the highest score; ties go to the lower index. -1 for an empty or all-NaN vector. */
export function argmax(scores: ArrayLike<number>): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s > bestScore || (best < 0 && s === -Infinity)) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}
