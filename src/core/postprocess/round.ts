/**
 * Rounds to a fixed number of significant digits so float noise (summation order, float32 vs
 * float64) cannot change the JSON of a result. `toPrecision` is exactly specified by ECMAScript,
 * so the output is the same on every engine.
 */
export function roundSignificant(x: number, digits = 6): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** Rounds a time in seconds to whole microseconds (k * 0.1 would otherwise print 0.30000000000000004). */
export function roundTime(sec: number): number {
  return Math.round(sec * 1e6) / 1e6;
}
