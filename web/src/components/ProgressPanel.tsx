// Progress of the current run (upload, queue, analysis) with stage, percent and ETA, and Cancel.
import { describeProgress } from '../jobs/describe-progress.js';
import { isBusy, isLoadingResult, type RunState } from '../jobs/job-state.js';

export interface ProgressPanelProps {
  run: RunState;
  onCancel: () => void;
}

export function ProgressPanel({ run, onCancel }: ProgressPanelProps) {
  if (isBusy(run)) {
    const { fraction, text } = describeProgress(run);
    return (
      <div className="progress" data-testid="progress">
        <progress max={1} value={fraction} aria-label="Progress" />
        <span className="progress-text" aria-live="polite">
          {run.cancelling ? `Cancelling… ${text}` : text}
        </span>
        <button type="button" data-testid="cancel-button" onClick={onCancel} disabled={run.cancelling}>
          Cancel
        </button>
      </div>
    );
  }
  if (isLoadingResult(run)) return <p className="status-line" aria-live="polite">Loading the result…</p>;
  if (run.notice !== null) return <p className="status-line" aria-live="polite">{run.notice}</p>;
  return null;
}
