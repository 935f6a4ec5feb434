// Runs an analysis from the page: upload (if a file), create the job, follow it, fetch the result;
// and cancels it. State lives in runReducer; this hook owns the side effects.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { CreateJob, JobSource } from '../../../src/core/api/schema.js';
import { ActionLensError, isActionLensError } from '../../../src/core/errors.js';
import type { ApiClient } from '../api/client.js';
import { ApiError, toUserFacingError } from '../api/errors.js';
import { formatBytes } from '../lib/format.js';
import { followJob } from './job-events.js';
import { INITIAL_RUN_STATE, isBusy, isFinalState, runReducer, type RunState } from './job-state.js';

/** What to analyze: a local file (uploaded first) or a source the server reads itself. */
export type RunSource = { kind: 'file'; file: File } | Exclude<JobSource, { kind: 'upload' }>;

export interface RunRequest {
  source: RunSource;
  model: string;
  analysis: CreateJob['analysis'];
  execution_providers?: CreateJob['execution_providers'];
  /** fp32 | int8; absent = the server's runtime.precision. */
  precision?: CreateJob['precision'];
  /** Server upload limit in MB, checked before sending a large file for nothing. */
  maxUploadMb?: number;
}

export interface JobRunner {
  state: RunState;
  start(request: RunRequest): void;
  cancel(): void;
  dismissError(): void;
  showError(e: unknown): void;
}

export function useJobRunner(api: ApiClient | null): JobRunner {
  const [state, dispatch] = useReducer(runReducer, INITIAL_RUN_STATE);
  const stateRef = useRef(state);
  stateRef.current = state;
  const abortRef = useRef<AbortController | null>(null);
  const runCounter = useRef(0);

  const start = useCallback(
    (request: RunRequest) => {
      if (api === null || isBusy(stateRef.current)) return;
      // The page shows one job at a time; a finished one is discarded so the server can free its video.
      const previous = stateRef.current;
      if (previous.jobId !== null && previous.status !== null && isFinalState(previous.status.state)) {
        api.deleteJob(previous.jobId).catch(() => undefined);
      }
      const runId = ++runCounter.current;
      const abort = new AbortController();
      abortRef.current = abort;
      const isFile = request.source.kind === 'file';
      dispatch({ type: 'start', runId, upload: isFile, now: performance.now() });

      void (async () => {
        try {
          let source: JobSource;
          if (request.source.kind === 'file') {
            const file = request.source.file;
            if (request.maxUploadMb !== undefined && file.size > request.maxUploadMb * 1024 * 1024) {
              throw new ActionLensError('AL_ERR_UPLOAD_TOO_LARGE', `${file.name} is ${formatBytes(file.size)}; this server accepts uploads up to ${request.maxUploadMb} MB.`, {
                hint: 'Trim or re-encode the video to make it smaller, or raise server.max_upload_mb in the server config.',
              });
            }
            const info = await api.upload(file, {
              signal: abort.signal,
              onProgress: (loaded, total) => dispatch({ type: 'upload-progress', runId, loaded, total, now: performance.now() }),
            });
            dispatch({ type: 'uploaded', runId, info });
            source = { kind: 'upload', upload_id: info.upload_id };
          } else {
            source = request.source;
          }
          const status = await api.createJob(
            { source, model: request.model, analysis: request.analysis, execution_providers: request.execution_providers, precision: request.precision },
            abort.signal,
          );
          dispatch({ type: 'job-created', runId, status });
        } catch (e) {
          if (isActionLensError(e) && e.code === 'AL_ERR_ABORTED') dispatch({ type: 'cancelled', runId });
          else dispatch({ type: 'error', runId, error: toUserFacingError(e) });
        }
      })();
    },
    [api],
  );

  // Follow the job while it is not final.
  const { jobId, phase, runId } = state;
  useEffect(() => {
    if (api === null || jobId === null || phase !== 'running') return;
    return followJob(api, jobId, {
      onStatus: (status) => dispatch({ type: 'status', status }),
      onPartial: (points) => dispatch({ type: 'partial', jobId, points }),
      onError: (e) => dispatch({ type: 'error', runId, error: toUserFacingError(e) }),
    });
    // phase changes running -> finished once; following must not restart on other changes.
  }, [api, jobId, phase === 'running', runId]); // eslint-disable-line react-hooks/exhaustive-deps

  // Fetch the result once the job is done.
  const done = state.status?.state === 'done' && state.result === null && state.error === null;
  useEffect(() => {
    if (api === null || jobId === null || !done) return;
    const abort = new AbortController();
    api
      .result(jobId, abort.signal)
      .then((result) => dispatch({ type: 'result', jobId, result }))
      .catch((e: unknown) => {
        if (!abort.signal.aborted) dispatch({ type: 'error', runId, error: toUserFacingError(e) });
      });
    return () => abort.abort();
  }, [api, jobId, done, runId]);

  const cancel = useCallback(() => {
    const s = stateRef.current;
    if (api === null || !isBusy(s)) return;
    dispatch({ type: 'cancelling', runId: s.runId });
    if (s.phase !== 'running' || s.jobId === null) {
      abortRef.current?.abort();
      return;
    }
    const id = s.jobId;
    const runId = s.runId;
    api
      .deleteJob(id)
      // The event stream reports the cancelled state too; this covers a stream that already broke.
      .then((status) => dispatch({ type: 'status', status }))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) dispatch({ type: 'cancelled', runId });
        else dispatch({ type: 'show-error', error: toUserFacingError(e) });
      });
  }, [api]);

  // Leaving the page: the job cannot be picked up again, so let the server drop it and its video.
  useEffect(() => {
    if (api === null) return;
    const onPageHide = (e: PageTransitionEvent) => {
      const id = stateRef.current.jobId;
      if (!e.persisted && id !== null) api.discardOnUnload(id);
    };
    window.addEventListener('pagehide', onPageHide);
    return () => window.removeEventListener('pagehide', onPageHide);
  }, [api]);

  const dismissError = useCallback(() => dispatch({ type: 'dismiss-error' }), []);
  const showError = useCallback((e: unknown) => dispatch({ type: 'show-error', error: toUserFacingError(e) }), []);

  return { state, start, cancel, dismissError, showError };
}
