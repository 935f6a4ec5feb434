// How the result summary names the precision that ran: nothing for fp32 (the usual case), else
// int8 with the videos its activation ranges came from, which decide its scores.
import type { ResultDocument } from '../../../src/core/result/schema.js';

/** Calibration videos named in the summary before "and N more". */
const SHOWN_VIDEOS = 2;

export interface PrecisionSummary {
  /** e.g. "int8 (calibrated on a.mp4)". */
  text: string;
  /** Every calibration video, for a tooltip; absent when there are none. */
  detail?: string;
}

export function precisionSummary(model: ResultDocument['model']): PrecisionSummary | null {
  if (model.precision !== 'int8') return null;
  const q = model.quantization;
  // Asked for int8 but nothing was quantized: a stream model, which already runs int8 weights.
  if (q === undefined) return { text: 'int8 (already quantized)' };
  const names = q.calibration.map((c) => c.name);
  const shown = names.length <= SHOWN_VIDEOS ? names.join(', ') : `${names.slice(0, SHOWN_VIDEOS).join(', ')} and ${names.length - SHOWN_VIDEOS} more`;
  return {
    text: `int8 (calibrated on ${shown})`,
    detail: [`${q.method}, ${q.quantizer_version}; calibration videos:`, ...q.calibration.map((c) => `${c.name} (sha256 ${c.sha256.slice(0, 12)}…)`)].join('\n'),
  };
}
