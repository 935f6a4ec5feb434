import { describe, expect, it } from 'vitest';
import { isActionLensError } from '../../../src/core/errors.js';
import { makeStatus, scored } from '../test/fixtures.js';
import { parseJobEvent } from './job-events.js';

describe('parseJobEvent', () => {
  it('parses a status event', () => {
    const status = makeStatus({ progress: { stage: 'analyze', fraction: 0.25, eta_sec: 12 } });
    expect(parseJobEvent('status', JSON.stringify(status))).toEqual({ type: 'status', status });
  });
  it('parses a partial event', () => {
    const points = [{ t: 0.2, topk: [scored('a', 0, 0.7)] }];
    expect(parseJobEvent('partial', JSON.stringify({ points }))).toEqual({ type: 'partial', points });
  });
  it('refuses events that do not match the API with a message naming the field', () => {
    let caught: unknown;
    try {
      parseJobEvent('status', JSON.stringify({ ...makeStatus(), state: 'exploded' }));
    } catch (e) {
      caught = e;
    }
    expect(isActionLensError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/state/);
    expect(() => parseJobEvent('partial', 'not json')).toThrow(/partial timeline/);
  });
});
