import { describe, expect, it } from 'vitest';
import { JobStatusSchema } from '../../../src/core/api/schema.js';
import { makeResult, makeStatus, scored } from '../test/fixtures.js';
import { INITIAL_RUN_STATE, isBusy, isLoadingResult, mergePartial, runReducer, type RunAction, type RunState } from './job-state.js';

function run(actions: RunAction[], from: RunState = INITIAL_RUN_STATE): RunState {
  return actions.reduce(runReducer, from);
}

const upload = { upload_id: 'upl_00000001', name: 'clip.mp4', size_bytes: 1000, duration_s: 4, width: 640, height: 360, fps: 25 };

describe('runReducer', () => {
  it('the fixture status is a valid wire status', () => {
    expect(JobStatusSchema.safeParse(makeStatus()).success).toBe(true);
  });

  it('goes upload -> starting -> running -> finished with the result', () => {
    let s = run([{ type: 'start', runId: 1, upload: true, now: 0 }]);
    expect(s.phase).toBe('uploading');
    expect(isBusy(s)).toBe(true);
    s = run([{ type: 'upload-progress', runId: 1, loaded: 500, total: 1000, now: 10 }], s);
    expect(s.upload).toEqual({ loaded: 500, total: 1000, startedAt: 0, now: 10 });
    s = run([{ type: 'uploaded', runId: 1, info: upload }], s);
    expect(s.phase).toBe('starting');
    s = run([{ type: 'job-created', runId: 1, status: makeStatus({ state: 'queued', progress: { stage: 'queued' } }) }], s);
    expect(s.phase).toBe('running');
    expect(s.jobId).toBe('job_00000001');
    s = run([{ type: 'status', status: makeStatus({ state: 'done', progress: { stage: 'done', fraction: 1 } }) }], s);
    expect(s.phase).toBe('finished');
    expect(isBusy(s)).toBe(false);
    expect(isLoadingResult(s)).toBe(true);
    const result = makeResult();
    s = run([{ type: 'result', jobId: 'job_00000001', result }], s);
    expect(s.result).toBe(result);
    expect(isLoadingResult(s)).toBe(false);
  });

  it('ignores answers from an earlier run or another job', () => {
    let s = run([
      { type: 'start', runId: 2, upload: false, now: 0 },
      { type: 'job-created', runId: 1, status: makeStatus() },
    ]);
    expect(s.jobId).toBeNull();
    s = run([{ type: 'job-created', runId: 2, status: makeStatus() }], s);
    const other = makeStatus({ id: 'job_99999999', state: 'failed' });
    expect(run([{ type: 'status', status: other }], s)).toBe(s);
    expect(run([{ type: 'partial', jobId: 'job_99999999', points: [{ t: 0, topk: [] }] }], s)).toBe(s);
    expect(run([{ type: 'error', runId: 1, error: { message: 'late' } }], s)).toBe(s);
  });

  it('ignores a status that arrives after the final one (a late poll)', () => {
    const s = run([
      { type: 'start', runId: 1, upload: false, now: 0 },
      { type: 'job-created', runId: 1, status: makeStatus() },
      { type: 'status', status: makeStatus({ state: 'cancelled' }) },
    ]);
    expect(s.notice).toBe('Cancelled.');
    expect(run([{ type: 'status', status: makeStatus({ state: 'running' }) }], s)).toBe(s);
  });

  it('turns a failed job into the error with the server message and hint', () => {
    const s = run([
      { type: 'start', runId: 1, upload: false, now: 0 },
      { type: 'job-created', runId: 1, status: makeStatus() },
      {
        type: 'status',
        status: makeStatus({ state: 'failed', error: { code: 'AL_ERR_DECODE_FAILED', message: 'ffmpeg failed.', hint: 'Re-encode it.' } }),
      },
    ]);
    expect(s.phase).toBe('finished');
    expect(s.error).toEqual({ code: 'AL_ERR_DECODE_FAILED', message: 'ffmpeg failed.', hint: 'Re-encode it.' });
  });

  it('a cancel before the job exists ends the run with a notice, not an error', () => {
    const s = run([
      { type: 'start', runId: 1, upload: true, now: 0 },
      { type: 'cancelling', runId: 1 },
    ]);
    expect(s.cancelling).toBe(true);
    const after = run([{ type: 'cancelled', runId: 1 }], s);
    expect(after.phase).toBe('finished');
    expect(after.notice).toBe('Cancelled.');
    expect(after.error).toBeNull();
  });

  it('a side error (failed cancel) keeps the run going', () => {
    const s = run([
      { type: 'start', runId: 1, upload: false, now: 0 },
      { type: 'job-created', runId: 1, status: makeStatus() },
      { type: 'cancelling', runId: 1 },
      { type: 'show-error', error: { message: 'cannot reach' } },
    ]);
    expect(s.phase).toBe('running');
    expect(s.cancelling).toBe(false);
    expect(run([{ type: 'dismiss-error' }], s).error).toBeNull();
  });
});

describe('mergePartial', () => {
  const p = (t: number, score = 0.5) => ({ t, topk: [scored('a', 0, score)] });

  it('appends points that come after the last one', () => {
    const merged = mergePartial([p(0), p(1)], [p(2), p(3)]);
    expect(merged.map((x) => x.t)).toEqual([0, 1, 2, 3]);
  });
  it('keeps one point per t, sorted, when the whole timeline is sent again', () => {
    const merged = mergePartial([p(0, 0.1), p(1, 0.1)], [p(0, 0.2), p(1, 0.3), p(2, 0.4)]);
    expect(merged.map((x) => x.t)).toEqual([0, 1, 2]);
    expect(merged.map((x) => x.topk[0].score)).toEqual([0.2, 0.3, 0.4]);
  });
  it('sorts points that arrive out of order', () => {
    expect(mergePartial([p(2)], [p(1), p(3)]).map((x) => x.t)).toEqual([1, 2, 3]);
  });
});
