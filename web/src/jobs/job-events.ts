// Follows a job: Server-Sent Events (status + partial timeline) while they flow, and polling of
// GET /api/jobs/:id if the event stream cannot be opened or is refused for good.
import { JobEventSchemas, type JobStatus, type PartialPoint } from '../../../src/core/api/schema.js';
import type { ApiClient } from '../api/client.js';
import { parseResponse } from '../api/parse.js';
import { isFinalState } from './job-state.js';

export type JobEvent = { type: 'status'; status: JobStatus } | { type: 'partial'; points: PartialPoint[] };

/** One SSE message (event name + data text), checked against the API schema. */
export function parseJobEvent(name: 'status' | 'partial', data: string): JobEvent {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    json = data;
  }
  if (name === 'status') return { type: 'status', status: parseResponse(JobEventSchemas.status, json, 'the job status event') };
  return { type: 'partial', points: parseResponse(JobEventSchemas.partial, json, 'the partial timeline event').points };
}

export interface JobEventHandlers {
  onStatus(status: JobStatus): void;
  onPartial(points: PartialPoint[]): void;
  onError(error: unknown): void;
}

const POLL_MS = 1000;

/** Starts following job `id`; returns a function that stops it. Stops by itself after a final status. */
export function followJob(api: ApiClient, id: string, handlers: JobEventHandlers): () => void {
  let stopped = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const source = new EventSource(api.eventsUrl(id));

  const stop = () => {
    stopped = true;
    source.close();
    if (pollTimer !== undefined) clearTimeout(pollTimer);
  };

  const deliver = (name: 'status' | 'partial', e: Event) => {
    if (stopped) return;
    let event: JobEvent;
    try {
      event = parseJobEvent(name, (e as MessageEvent<string>).data);
    } catch (err) {
      stop();
      handlers.onError(err);
      return;
    }
    if (event.type === 'partial') {
      handlers.onPartial(event.points);
      return;
    }
    handlers.onStatus(event.status);
    // The server ends the stream after a final status; closing first stops EventSource reconnecting.
    if (isFinalState(event.status.state)) stop();
  };
  source.addEventListener('status', (e) => deliver('status', e));
  source.addEventListener('partial', (e) => deliver('partial', e));

  const poll = async () => {
    if (stopped) return;
    try {
      const status = await api.job(id);
      if (stopped) return;
      handlers.onStatus(status);
      if (isFinalState(status.state)) {
        stop();
        return;
      }
    } catch (err) {
      if (stopped) return;
      stop();
      handlers.onError(err);
      return;
    }
    pollTimer = setTimeout(() => void poll(), POLL_MS);
  };

  source.onerror = () => {
    // CONNECTING: the browser is reconnecting by itself. CLOSED: it gave up (e.g. a non-200 answer
    // or a proxy that does not pass event streams), so fall back to polling, which also reports
    // the server's error message if there is one.
    if (stopped || source.readyState !== EventSource.CLOSED) return;
    source.close();
    if (pollTimer === undefined) void poll();
  };

  return stop;
}
