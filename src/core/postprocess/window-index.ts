/**
 * The window a time falls in: window k covers [k * windowSec, (k + 1) * windowSec).
 * Float division misplaces exact boundaries (0.6 / 0.2 = 2.9999999999999996), so a time within
 * 1e-9 s of a boundary counts as on it and goes to the later window.
 */
export function windowIndexOf(tSec: number, windowSec: number): number {
  let k = Math.floor(tSec / windowSec);
  if ((k + 1) * windowSec <= tSec + 1e-9) k += 1;
  else if (k * windowSec > tSec + 1e-9) k -= 1;
  return Math.max(0, k);
}
