// Jobs: create (from an upload, a URL or a sample), follow (status, server-sent events with
// progress and the partial timeline), cancel or discard, and read the result.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateJobSchema, IdSchema, type JobStatus, type PartialPoint } from '../../core/api/index.js';
import { ActionLensError } from '../../core/errors.js';
import { roundSignificant, topK } from '../../core/postprocess/index.js';
import type { ResultDocument } from '../../core/result/index.js';
import { deepMerge, validateAnalysisSettings, type AnalysisSettings, type AppConfig } from '../../core/settings/index.js';
import { loadLabels } from '../../models/store/index.js';
import { getModelSpec } from '../../models/zoo.js';
import { admitVideo } from '../admit-video.js';
import type { ServerContext } from '../context.js';
import type { Job, JobContext, JobWork } from '../job-queue.js';
import { newId } from '../temp-area.js';
import { checkUrlPolicy, downloadUrl } from '../fetch-url.js';

export const JobParams = z.strictObject({ id: IdSchema });

/** Partial timeline points go out in batches at most this often (a frame-rate stream of events would swamp the page). */
const PARTIAL_FLUSH_MS = 250;

export async function jobRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { config, jobs } = ctx;
  const labelsByModel = new Map<string, Promise<string[]>>();
  const labelsOf = (modelId: string) => {
    let labels = labelsByModel.get(modelId);
    if (!labels) {
      labels = loadLabels(getModelSpec(modelId));
      labelsByModel.set(modelId, labels);
      labels.catch(() => labelsByModel.delete(modelId));
    }
    return labels;
  };

  const analyzeWork = (jobConfig: AppConfig, analysis: AnalysisSettings): JobWork['analyze'] => {
    return async (job: Job, jc: JobContext) => {
      const labels = await labelsOf(jobConfig.model);
      let pending: PartialPoint[] = [];
      const flush = () => {
        if (pending.length) jc.partial(pending);
        pending = [];
      };
      const timer = setInterval(flush, PARTIAL_FLUSH_MS);
      try {
        return await ctx.pool.use(jobConfig, (recognizer) =>
          recognizer.analyze(job.videoPath!, {
            signal: jc.signal,
            analysis,
            sourceName: job.sourceName,
            onProgress: (p) =>
              jc.progress({
                stage: p.stage,
                ...(p.fraction !== undefined ? { fraction: p.fraction } : {}),
                ...(p.etaSec !== undefined ? { eta_sec: p.etaSec } : {}),
                ...(p.videoSec !== undefined ? { video_sec: p.videoSec } : {}),
              }),
            onFrame: (t, _frames, probs) => {
              const top = topK(probs, analysis.topk, analysis.threshold, labels);
              pending.push({ t: roundSignificant(t, 6), topk: top.map((s) => ({ ...s, score: roundSignificant(s.score, 4) })) });
            },
          }),
        );
      } finally {
        clearInterval(timer);
        flush();
        ctx.modelCache.generation++; // the model may now be downloaded and converted
      }
    };
  };

  const sampleFile = async (name: string): Promise<string> => {
    const dir = config.server.samples_dir;
    if (!dir) throw new ActionLensError('AL_ERR_BAD_REQUEST', 'This server has no sample clips.', { hint: 'Set server.samples_dir to a folder of videos.' });
    // Only names the folder lists: a name cannot reach outside it.
    const names = await readdir(dir).catch(() => [] as string[]);
    if (!names.includes(name) || name.startsWith('.')) {
      throw new ActionLensError('AL_ERR_BAD_REQUEST', `No sample named '${name.slice(0, 100)}'.`, { hint: 'Pick one from GET /api/samples.' });
    }
    const file = path.join(dir, name);
    if (!(await stat(file)).isFile()) throw new ActionLensError('AL_ERR_BAD_REQUEST', `Sample '${name}' is not a file.`);
    return file;
  };

  app.post('/api/jobs', { schema: { body: CreateJobSchema } }, async (request, reply): Promise<JobStatus> => {
    const body = CreateJobSchema.parse(request.body);
    const modelId = body.model ?? config.model;
    const spec = getModelSpec(modelId); // zoo ids only: a request cannot name files on the server
    const analysis = validateAnalysisSettings(deepMerge(config.analysis, body.analysis ?? {}));
    const jobConfig: AppConfig = {
      ...config,
      model: spec.id,
      runtime: {
        ...config.runtime,
        execution_providers: body.execution_providers ?? config.runtime.execution_providers,
        // Calibration videos stay the config's: a request never names files on the server.
        precision: body.precision ?? config.runtime.precision,
      },
    };
    const work: JobWork = { analyze: analyzeWork(jobConfig, analysis) };
    let job: Job;
    switch (body.source.kind) {
      case 'upload': {
        const upload = ctx.uploads.claim(body.source.upload_id);
        job = jobs.submit({ id: newId(), dir: upload.dir, model: spec.id, sourceName: upload.name, videoPath: upload.path }, work);
        job.videoInfo = upload.info;
        break;
      }
      case 'sample': {
        const file = await sampleFile(body.source.name);
        const info = await admitVideo(file, body.source.name, { tools: ctx.tools, maxDurationSec: config.server.max_duration_sec });
        const { dir } = await ctx.temp.create('job');
        job = jobs.submit({ id: newId(), dir, model: spec.id, sourceName: body.source.name, videoPath: file }, work);
        job.videoInfo = info;
        break;
      }
      case 'url': {
        const policy = { allowPrivate: config.server.url_input.allow_private };
        const url = await checkUrlPolicy(body.source.url, policy); // refused at once, before any job exists
        const { dir } = await ctx.temp.create('job');
        const limits = config.server.url_input;
        work.prepare = async (j, jc) => {
          const file = path.join(dir, 'input');
          const got = await downloadUrl(url.href, file, {
            ...policy,
            maxBytes: Math.floor(limits.max_mb * 1024 * 1024),
            timeoutMs: limits.timeout_sec * 1000,
            maxRedirects: limits.max_redirects,
            signal: jc.signal,
            onProgress: (received, total) => jc.progress({ stage: 'fetch', ...(total ? { fraction: received / total } : {}) }),
          });
          j.sourceName = got.fileName;
          j.videoInfo = await admitVideo(file, got.fileName, { tools: ctx.tools, maxDurationSec: config.server.max_duration_sec, signal: jc.signal });
          j.videoPath = file;
        };
        job = jobs.submit({ id: newId(), dir, model: spec.id, sourceName: url.hostname }, work);
        break;
      }
    }
    ctx.logger.info({ job: job.id, model: spec.id, source: body.source.kind, precision: jobConfig.runtime.precision }, 'job created');
    void reply.status(202);
    return jobs.status(job);
  });

  app.get('/api/jobs/:id', { schema: { params: JobParams } }, async (request): Promise<JobStatus> => {
    const { id } = request.params as z.infer<typeof JobParams>;
    return jobs.status(jobs.get(id));
  });

  app.delete('/api/jobs/:id', { schema: { params: JobParams } }, async (request): Promise<JobStatus> => {
    const { id } = request.params as z.infer<typeof JobParams>;
    return jobs.cancelOrDiscard(id);
  });

  // Same as DELETE, for navigator.sendBeacon when the page goes away (beacons can only POST).
  app.post('/api/jobs/:id/discard', { schema: { params: JobParams } }, async (request, reply) => {
    const { id } = request.params as z.infer<typeof JobParams>;
    await jobs.cancelOrDiscard(id).catch(() => undefined);
    void reply.status(204);
  });

  app.get('/api/jobs/:id/result', { schema: { params: JobParams } }, async (request): Promise<ResultDocument> => {
    const { id } = request.params as z.infer<typeof JobParams>;
    return resultOf(jobs.get(id));
  });

  app.get('/api/jobs/:id/events', { schema: { params: JobParams } }, (request, reply) => {
    const { id } = request.params as z.infer<typeof JobParams>;
    const job = jobs.get(id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const final = (s: JobStatus) => s.state === 'done' || s.state === 'failed' || s.state === 'cancelled';
    const onStatus = (s: JobStatus) => {
      send('status', s);
      if (final(s)) close();
    };
    const onPartial = (points: PartialPoint[]) => send('partial', { points });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = () => {
      clearInterval(heartbeat);
      job.events.off('status', onStatus);
      job.events.off('partial', onPartial);
      res.end();
    };
    // A late subscriber first gets what happened so far.
    res.write('retry: 2000\n\n');
    if (job.partial.length) send('partial', { points: job.partial });
    const now = jobs.status(job);
    send('status', now);
    if (final(now)) return close();
    job.events.on('status', onStatus);
    job.events.on('partial', onPartial);
    request.raw.once('close', close);
  });
}

export function resultOf(job: Job): ResultDocument {
  if (job.state !== 'done' || !job.document) {
    throw new ActionLensError('AL_ERR_JOB_NOT_READY', `Job '${job.id}' is ${job.state}: ${job.state === 'running' || job.state === 'queued' ? 'no result yet' : 'it has no result'}.`, {
      hint: job.state === 'failed' ? job.error?.message : 'Wait for the job to finish (GET /api/jobs/:id/events).',
    });
  }
  return job.document;
}
