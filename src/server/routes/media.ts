// The job's video for the page's player, and the exports: JSON (the result document), CSV (the
// timeline), WebVTT (labels as subtitles) and an annotated MP4 rendered here with ffmpeg.
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../../core/api/index.js';
import { ActionLensError } from '../../core/errors.js';
import { resultToWebVtt, timelineToCsv } from '../../core/result/index.js';
import { isBrowserPlayable, renderAnnotatedVideo, transcodeForBrowser } from '../../video/render-annotated.js';
import type { ServerContext } from '../context.js';
import type { Job } from '../job-queue.js';
import { JobParams, resultOf } from './jobs.js';

const ExportParams = JobParams.extend({ format: z.enum(EXPORT_FORMATS, { error: `expected one of ${EXPORT_FORMATS.join(' | ')}` }) });

/** "clip.mp4" -> "clip"; anything unsafe in a header becomes "_". */
function downloadBase(sourceName: string): string {
  const base = sourceName.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'video';
  return base.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 100);
}

function attachment(reply: FastifyReply, fileName: string): void {
  // ASCII fallback plus the RFC 5987 form, so any name survives.
  void reply.header('content-disposition', `attachment; filename="${fileName.replace(/"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}

function videoOf(job: Job): string {
  if (!job.videoPath || job.state === 'failed' || job.state === 'cancelled') {
    throw new ActionLensError('AL_ERR_JOB_NOT_READY', `Job '${job.id}' no longer has its video (${job.state}).`, {
      hint: 'Failed and cancelled jobs keep nothing; run the analysis again.',
    });
  }
  return job.videoPath;
}

/** Made once per job on first request; a failure is not kept, so the next request tries again. */
function renderOnce(job: Job, name: string, make: (output: string) => Promise<void>): Promise<string> {
  let out = job.renders.get(name);
  if (!out) {
    const file = path.join(job.dir, name);
    out = make(file).then(() => file);
    job.renders.set(name, out);
    out.catch(() => job.renders.delete(name));
  }
  return out;
}

export async function mediaRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const ffmpeg = ctx.tools.ffmpeg;

  app.get('/api/jobs/:id/video', { schema: { params: JobParams } }, async (request, reply) => {
    const { id } = request.params as z.infer<typeof JobParams>;
    const job = ctx.jobs.get(id);
    const input = videoOf(job);
    // Browsers play H.264/VP9/AV1 in MP4/WebM; anything else (AVI, GIF, MPEG-4 part 2) is re-encoded once.
    const file = job.videoInfo && isBrowserPlayable(job.videoInfo)
      ? input
      : await renderOnce(job, 'playable.mp4', (output) => transcodeForBrowser({ input, output, ffmpeg, ffprobe: ctx.tools.ffprobe, signal: job.controller.signal }));
    void reply.header('cache-control', 'private, max-age=3600');
    // The stored name has no extension (names never come from users), so the type comes from the probe.
    void reply.type(file === input && job.videoInfo?.container.includes('webm') ? 'video/webm' : 'video/mp4');
    return reply.sendFile(path.basename(file), path.dirname(file), { contentType: false });
  });

  app.get('/api/jobs/:id/export/:format', { schema: { params: ExportParams } }, async (request, reply) => {
    const { id, format } = request.params as z.infer<typeof ExportParams>;
    const job = ctx.jobs.get(id);
    const doc = resultOf(job);
    const base = downloadBase(job.sourceName);
    switch (format) {
      case 'json':
        attachment(reply, `${base}.actionlens.json`);
        void reply.type('application/json; charset=utf-8');
        return JSON.stringify(doc, null, 2);
      case 'csv':
        attachment(reply, `${base}.timeline.csv`);
        void reply.type('text/csv; charset=utf-8');
        return timelineToCsv(doc.timeline);
      case 'vtt':
        attachment(reply, `${base}.labels.vtt`);
        void reply.type('text/vtt; charset=utf-8');
        return resultToWebVtt(doc);
      case 'mp4': {
        const input = videoOf(job);
        const file = await renderOnce(job, 'annotated.mp4', (output) =>
          renderAnnotatedVideo({ input, output, document: doc, ffmpeg, ffprobe: ctx.tools.ffprobe, signal: job.controller.signal }),
        );
        attachment(reply, `${base}.annotated.mp4`);
        return reply.sendFile(path.basename(file), path.dirname(file));
      }
    }
  });
}
