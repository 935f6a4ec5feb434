import { describe, expect, it } from 'vitest';
import { makeStatus } from '../test/fixtures.js';
import { describeProgress } from './describe-progress.js';
import { INITIAL_RUN_STATE, type RunState } from './job-state.js';

describe('describeProgress', () => {
  it('shows upload percent, bytes and an ETA from the rate so far', () => {
    const run: RunState = { ...INITIAL_RUN_STATE, phase: 'uploading', upload: { loaded: 25e6, total: 100e6, startedAt: 0, now: 10_000 } };
    expect(describeProgress(run)).toEqual({ fraction: 0.25, text: 'Uploading video · 25% · ETA 30 s (25 MB of 100 MB)' });
  });
  it('is indeterminate while the upload size is unknown and while the job is created', () => {
    const uploading: RunState = { ...INITIAL_RUN_STATE, phase: 'uploading', upload: { loaded: 0, total: 0, startedAt: 0, now: 0 } };
    expect(describeProgress(uploading)).toEqual({ fraction: undefined, text: 'Uploading video' });
    expect(describeProgress({ ...INITIAL_RUN_STATE, phase: 'starting' }).fraction).toBeUndefined();
  });
  it('shows the server stage, percent, ETA and queue position', () => {
    const running: RunState = { ...INITIAL_RUN_STATE, phase: 'running', status: makeStatus({ progress: { stage: 'analyze', fraction: 0.5, eta_sec: 75 } }) };
    expect(describeProgress(running)).toEqual({ fraction: 0.5, text: 'Analyzing · 50% · ETA 1:15' });
    const queued: RunState = { ...INITIAL_RUN_STATE, phase: 'running', status: makeStatus({ state: 'queued', progress: { stage: 'queued', queue_position: 3 } }) };
    expect(describeProgress(queued).text).toBe('Queued (3 jobs ahead)');
  });
});
