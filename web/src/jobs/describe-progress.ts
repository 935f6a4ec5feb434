// The progress bar's value and text for any point of a run.
import { estimateRemaining, formatBytes, progressText } from '../lib/format.js';
import type { RunState } from './job-state.js';

export interface ProgressView {
  /** 0..1, or undefined for an indeterminate bar. */
  fraction: number | undefined;
  text: string;
}

export function describeProgress(run: RunState): ProgressView {
  if (run.phase === 'uploading' && run.upload !== null) {
    const { loaded, total, startedAt, now } = run.upload;
    const fraction = total > 0 ? loaded / total : undefined;
    const eta = estimateRemaining((now - startedAt) / 1000, loaded, total);
    const bytes = total > 0 ? ` (${formatBytes(loaded)} of ${formatBytes(total)})` : '';
    return { fraction, text: `${progressText('upload', fraction, eta)}${bytes}` };
  }
  if (run.phase === 'starting' || run.status === null) return { fraction: undefined, text: 'Starting the analysis…' };
  const p = run.status.progress;
  return { fraction: p.fraction, text: progressText(p.stage, p.fraction, p.eta_sec, p.queue_position) };
}
