// Frame rates as ffprobe writes them ("30000/1001", "0/0" when unknown).

/** The value of "num/den" (or a plain number); undefined when unknown, zero or malformed. */
export function parseRational(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const [numText, denText = '1'] = text.split('/');
  const value = Number(numText) / Number(denText);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** r_frame_rate is the base (lowest common) rate, avg_frame_rate frames/duration: they differ for VFR video. */
export function isVariableFrameRate(rFrameRate: number | undefined, avgFrameRate: number | undefined): boolean {
  if (rFrameRate === undefined || avgFrameRate === undefined) return false;
  // A relative tolerance: NTSC rates written as 2997/100 vs 30000/1001 are the same rate.
  return Math.abs(rFrameRate - avgFrameRate) / rFrameRate > 1e-3;
}
