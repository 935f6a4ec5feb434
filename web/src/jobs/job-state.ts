// What the page knows about the current run (upload, job, partial timeline, result), as a pure
// reducer. Every async answer carries the run or job it belongs to, so a late answer from an
// earlier run can never overwrite the current one.
import type { JobStatus, PartialPoint, UploadInfo } from '../../../src/core/api/schema.js';
import type { ResultDocument } from '../../../src/core/result/schema.js';
import type { UserFacingError } from '../api/errors.js';

export type RunPhase = 'idle' | 'uploading' | 'starting' | 'running' | 'finished';

export interface UploadProgress {
  loaded: number;
  total: number;
  /** ms timestamps (performance.now()) for the upload ETA. */
  startedAt: number;
  now: number;
}

export interface RunState {
  /** Increments with every Run; async work tags its actions with the run it started in. */
  runId: number;
  phase: RunPhase;
  upload: UploadProgress | null;
  uploadInfo: UploadInfo | null;
  jobId: string | null;
  status: JobStatus | null;
  /** Scored points so far while the job runs, sorted by t, one per t. */
  partial: PartialPoint[];
  result: ResultDocument | null;
  error: UserFacingError | null;
  /** A non-error outcome to show, e.g. "Cancelled." */
  notice: string | null;
  /** A cancel was asked for and not yet confirmed. */
  cancelling: boolean;
}

export type RunAction =
  | { type: 'start'; runId: number; upload: boolean; now: number }
  | { type: 'upload-progress'; runId: number; loaded: number; total: number; now: number }
  | { type: 'uploaded'; runId: number; info: UploadInfo }
  | { type: 'job-created'; runId: number; status: JobStatus }
  | { type: 'status'; status: JobStatus }
  | { type: 'partial'; jobId: string; points: PartialPoint[] }
  | { type: 'result'; jobId: string; result: ResultDocument }
  | { type: 'error'; runId: number; error: UserFacingError }
  | { type: 'cancelling'; runId: number }
  | { type: 'cancelled'; runId: number }
  | { type: 'dismiss-error' }
  | { type: 'show-error'; error: UserFacingError };

export const INITIAL_RUN_STATE: RunState = {
  runId: 0,
  phase: 'idle',
  upload: null,
  uploadInfo: null,
  jobId: null,
  status: null,
  partial: [],
  result: null,
  error: null,
  notice: null,
  cancelling: false,
};

export function isFinalState(state: JobStatus['state']): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

/** True while a run is under way (Run is disabled, Cancel is offered). */
export function isBusy(s: RunState): boolean {
  return s.phase === 'uploading' || s.phase === 'starting' || s.phase === 'running';
}

/** The job is done and its result document is still being fetched. */
export function isLoadingResult(s: RunState): boolean {
  return s.phase === 'finished' && s.status?.state === 'done' && s.result === null && s.error === null;
}

export function runReducer(s: RunState, a: RunAction): RunState {
  switch (a.type) {
    case 'start':
      return {
        ...INITIAL_RUN_STATE,
        runId: a.runId,
        phase: a.upload ? 'uploading' : 'starting',
        upload: a.upload ? { loaded: 0, total: 0, startedAt: a.now, now: a.now } : null,
      };
    case 'upload-progress':
      if (a.runId !== s.runId || s.phase !== 'uploading' || s.upload === null) return s;
      return { ...s, upload: { ...s.upload, loaded: a.loaded, total: a.total, now: a.now } };
    case 'uploaded':
      if (a.runId !== s.runId || s.phase !== 'uploading') return s;
      return { ...s, phase: 'starting', uploadInfo: a.info };
    case 'job-created':
      if (a.runId !== s.runId || s.phase !== 'starting') return s;
      return applyStatus({ ...s, jobId: a.status.id, phase: 'running' }, a.status);
    case 'status':
      if (a.status.id !== s.jobId || s.phase !== 'running') return s; // stale, or already final
      return applyStatus(s, a.status);
    case 'partial':
      if (a.jobId !== s.jobId || s.phase !== 'running' || a.points.length === 0) return s;
      return { ...s, partial: mergePartial(s.partial, a.points) };
    case 'result':
      if (a.jobId !== s.jobId || s.status?.state !== 'done') return s;
      return { ...s, result: a.result };
    case 'error':
      if (a.runId !== s.runId) return s;
      return { ...s, phase: s.phase === 'idle' ? 'idle' : 'finished', error: a.error, cancelling: false, upload: null };
    case 'cancelling':
      if (a.runId !== s.runId || !isBusy(s)) return s;
      return { ...s, cancelling: true };
    case 'cancelled':
      if (a.runId !== s.runId || s.phase === 'finished') return s;
      return { ...s, phase: s.phase === 'idle' ? 'idle' : 'finished', notice: 'Cancelled.', cancelling: false, upload: null };
    case 'dismiss-error':
      return s.error === null ? s : { ...s, error: null };
    case 'show-error':
      // An error beside the run (a failed cancel, a bad settings file): the run itself goes on.
      return { ...s, error: a.error, cancelling: false };
  }
}

function applyStatus(s: RunState, status: JobStatus): RunState {
  if (!isFinalState(status.state)) return { ...s, status };
  const next: RunState = { ...s, status, phase: 'finished', cancelling: false };
  if (status.state === 'failed') {
    next.error = status.error
      ? { message: status.error.message, hint: status.error.hint, code: status.error.code }
      : { message: 'The analysis failed; the server gave no reason.', hint: 'Look at the server log for details.' };
  } else if (status.state === 'cancelled') {
    next.notice = 'Cancelled.';
  }
  return next;
}

/**
 * Adds scored points to the partial timeline, sorted by t with one point per t (a later point for
 * the same t replaces the earlier one). The server may send only new points or the whole partial
 * timeline again (after a reconnect): both end up the same.
 */
export function mergePartial(existing: readonly PartialPoint[], incoming: readonly PartialPoint[]): PartialPoint[] {
  const lastT = existing.length > 0 ? existing[existing.length - 1].t : -Infinity;
  let appendOnly = true;
  let prev = lastT;
  for (const p of incoming) {
    if (!(p.t > prev)) {
      appendOnly = false;
      break;
    }
    prev = p.t;
  }
  if (appendOnly) return existing.concat(incoming);
  const byT = new Map<number, PartialPoint>();
  for (const p of existing) byT.set(p.t, p);
  for (const p of incoming) byT.set(p.t, p);
  return [...byT.values()].sort((a, b) => a.t - b.t);
}
