// The few numpy rounding rules SampleFrames depends on, reproduced exactly so frame indices match
// MMAction2 bit for bit (they decide which frames a model sees).

/** np.round / np.rint: round half to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `np.linspace(start, stop, num).astype(np.int32)`: numpy computes `i * ((stop - start) / (num - 1)) + start`
 * in float64, pins the last value to `stop`, and the cast truncates toward zero.
 */
export function linspaceTruncated(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [Math.trunc(start)];
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(Math.trunc(i === num - 1 ? stop : i * step + start));
  return out;
}

/** Python / numpy `%` on floats: the result takes the sign of the divisor. */
export function floorMod(x: number, n: number): number {
  const r = x % n;
  return r !== 0 && r < 0 !== n < 0 ? r + n : r;
}
