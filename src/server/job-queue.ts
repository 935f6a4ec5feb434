// Jobs: created by a request, prepared (URL download) at once, analysed when a slot is free
// (server.concurrency), cancellable at any point, and removed with their temp folder when they end:
// at once for a failed or cancelled job, after server.retain_sec for a finished one (the page
// still plays its video and renders the MP4 export meanwhile), or when discarded.
import { EventEmitter } from 'node:events';
import type { JobProgress, JobState, JobStatus, PartialPoint } from '../core/api/index.js';
import { ActionLensError, isActionLensError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ResultDocument } from '../core/result/index.js';
import type { VideoInfo } from '../core/video-types.js';
import type { TempArea } from './temp-area.js';

/** Partial points kept for a page that subscribes late; older ones are dropped (the final result has them all). */
const PARTIAL_BACKLOG = 4000;

export interface Job {
  readonly id: string;
  readonly dir: string;
  readonly model: string;
  readonly createdAt: Date;
  sourceName: string;
  state: JobState;
  progress: JobProgress;
  error?: { code: string; message: string; hint?: string };
  cached?: boolean;
  /** The input video, once it is in the job's folder. */
  videoPath?: string;
  videoInfo?: VideoInfo;
  document?: ResultDocument;
  partial: PartialPoint[];
  /** Outputs made on demand from the video (browser-playable copy, annotated MP4), by name. */
  renders: Map<string, Promise<string>>;
  readonly controller: AbortController;
  /** 'status' (JobStatus) and 'partial' (PartialPoint[]) events. */
  readonly events: EventEmitter;
}

export interface JobContext {
  signal: AbortSignal;
  progress(p: JobProgress): void;
  partial(points: PartialPoint[]): void;
}

export interface JobWork {
  /** Runs before the job waits for a slot (e.g. downloading a URL): may set videoPath. */
  prepare?(job: Job, ctx: JobContext): Promise<void>;
  /** The analysis, in a slot. */
  analyze(job: Job, ctx: JobContext): Promise<{ document: ResultDocument; cached: boolean }>;
}

export interface JobQueueOptions {
  concurrency: number;
  maxQueued: number;
  retainSec: number;
  temp: TempArea;
  logger: Logger;
}

export interface JobQueue {
  /** Starts a job in `dir` (already created in the temp area; the queue owns it from now on). */
  submit(init: { id: string; dir: string; model: string; sourceName: string; videoPath?: string }, work: JobWork): Job;
  get(id: string): Job;
  status(job: Job): JobStatus;
  /** Cancels a queued or running job; discards (removes) a finished one. */
  cancelOrDiscard(id: string): Promise<JobStatus>;
  /** Cancels everything and removes every job folder. */
  close(): Promise<void>;
  readonly size: number;
}

const FINAL: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const jobs = new Map<string, Job>();
  const waiting: (() => void)[] = [];
  let running = 0;

  const status = (job: Job): JobStatus => ({
    id: job.id,
    state: job.state,
    source_name: job.sourceName,
    model: job.model,
    created_at: job.createdAt.toISOString(),
    progress: job.progress,
    ...(job.error ? { error: job.error } : {}),
    ...(job.cached !== undefined ? { cached: job.cached } : {}),
    has_video: job.videoPath !== undefined, // cleared when a job fails, is cancelled or removed
  });

  const emitStatus = (job: Job) => job.events.emit('status', status(job));

  const remove = async (job: Job) => {
    jobs.delete(job.id);
    job.videoPath = undefined;
    await opts.temp.remove(job.dir);
    job.events.removeAllListeners();
  };

  const finish = async (job: Job, state: 'done' | 'failed' | 'cancelled') => {
    if (state !== 'done') {
      // Nothing to play or export: the folder goes now, before anyone can see the job ended; the
      // status stays readable a while.
      job.videoPath = undefined;
      await opts.temp.remove(job.dir);
    }
    job.state = state;
    emitStatus(job);
    const timer = setTimeout(() => void remove(job), (state === 'done' ? opts.retainSec : Math.min(opts.retainSec, 60)) * 1000);
    timer.unref();
  };

  // A slot: resolves when fewer than `concurrency` jobs run; the queue is FIFO.
  const acquire = (job: Job): Promise<void> => {
    if (running < opts.concurrency) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        job.controller.signal.removeEventListener('abort', onAbort);
        running++;
        resolve();
      };
      const onAbort = () => {
        const i = waiting.indexOf(grant);
        if (i >= 0) waiting.splice(i, 1);
        reportPositions();
        reject(new ActionLensError('AL_ERR_ABORTED', 'The job was cancelled while it waited in the queue.'));
      };
      waiting.push(grant);
      job.controller.signal.addEventListener('abort', onAbort, { once: true });
      reportPositions();
    });
  };
  const releaseSlot = () => {
    running--;
    const next = waiting.shift();
    if (next) next();
    reportPositions();
  };
  // Queued jobs learn their place in line (the page shows "2 jobs ahead").
  const reportPositions = () => {
    let position = 0;
    for (const job of jobs.values()) {
      if (job.state !== 'queued' || job.progress.stage !== 'queued') continue;
      job.progress = { stage: 'queued', queue_position: position++ };
      emitStatus(job);
    }
  };

  const run = async (job: Job, work: JobWork) => {
    const ctx: JobContext = {
      signal: job.controller.signal,
      progress(p) {
        if (FINAL.has(job.state)) return;
        job.progress = p;
        emitStatus(job);
      },
      partial(points) {
        if (FINAL.has(job.state) || points.length === 0) return;
        job.partial.push(...points);
        if (job.partial.length > PARTIAL_BACKLOG) job.partial.splice(0, job.partial.length - PARTIAL_BACKLOG);
        job.events.emit('partial', points);
      },
    };
    let slot = false;
    try {
      if (work.prepare) await work.prepare(job, ctx);
      job.progress = { stage: 'queued' };
      await acquire(job);
      slot = true;
      job.controller.signal.throwIfAborted();
      job.state = 'running';
      ctx.progress({ stage: 'starting' });
      const { document, cached } = await work.analyze(job, ctx);
      job.document = document;
      job.cached = cached;
      job.progress = { stage: 'done', fraction: 1 };
      await finish(job, 'done');
    } catch (err) {
      const cancelled = job.controller.signal.aborted;
      const e = isActionLensError(err) ? err : new ActionLensError('AL_ERR_INTERNAL', (err as Error)?.message ?? String(err), { cause: err });
      if (!cancelled) opts.logger.warn({ job: job.id, code: e.code, err: e.message }, 'job failed');
      job.error = cancelled
        ? { code: 'AL_ERR_ABORTED', message: 'The job was cancelled.' }
        : { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
      await finish(job, cancelled ? 'cancelled' : 'failed');
    } finally {
      if (slot) releaseSlot();
    }
  };

  return {
    submit(init, work) {
      const queued = [...jobs.values()].filter((j) => j.state === 'queued').length;
      if (queued >= opts.concurrency + opts.maxQueued) {
        void opts.temp.remove(init.dir);
        throw new ActionLensError('AL_ERR_SERVER_BUSY', `${queued} jobs are already waiting (server.max_queued is ${opts.maxQueued}).`, {
          hint: 'Try again when some have finished, or raise server.max_queued / server.concurrency.',
        });
      }
      const job: Job = {
        id: init.id,
        dir: init.dir,
        model: init.model,
        createdAt: new Date(),
        sourceName: init.sourceName,
        state: 'queued',
        progress: { stage: work.prepare ? 'fetch' : 'queued' },
        videoPath: init.videoPath,
        partial: [],
        renders: new Map(),
        controller: new AbortController(),
        events: new EventEmitter(),
      };
      job.events.setMaxListeners(100);
      jobs.set(job.id, job);
      void run(job, work);
      return job;
    },
    get(id) {
      const job = jobs.get(id);
      if (!job) {
        throw new ActionLensError('AL_ERR_JOB_NOT_FOUND', `No job '${id}': it never existed, or it ended and was removed.`, {
          hint: `Finished jobs are kept for server.retain_sec (${opts.retainSec} s); run the analysis again.`,
        });
      }
      return job;
    },
    status,
    async cancelOrDiscard(id) {
      const job = this.get(id);
      if (FINAL.has(job.state)) {
        const s = status(job);
        await remove(job);
        return { ...s, has_video: false };
      }
      job.controller.abort(new ActionLensError('AL_ERR_ABORTED', 'The job was cancelled.'));
      // The runner settles on its own (ffmpeg killed, worker step finished); report what is known now.
      return status(job);
    },
    async close() {
      for (const job of jobs.values()) job.controller.abort();
      await Promise.all([...jobs.values()].map((job) => remove(job)));
    },
    get size() {
      return jobs.size;
    },
  };
}
