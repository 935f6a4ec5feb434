// POST /api/uploads: one multipart file, streamed into the temp area (never held in memory),
// cut off at server.max_upload_mb, then probed. Anything refused leaves nothing behind.
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { UploadInfo } from '../../core/api/index.js';
import { ActionLensError } from '../../core/errors.js';
import { admitVideo, checkUploadName } from '../admit-video.js';
import type { ServerContext } from '../context.js';

/** Room for the multipart envelope around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function uploadRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const maxBytes = Math.floor(ctx.config.server.max_upload_mb * 1024 * 1024);
  const tooLarge = () =>
    new ActionLensError('AL_ERR_UPLOAD_TOO_LARGE', `The upload is larger than the limit of ${ctx.config.server.max_upload_mb} MB; nothing of it was kept.`, {
      hint: 'Trim or compress the video, or raise server.max_upload_mb.',
    });

  app.post('/api/uploads', async (request, reply): Promise<UploadInfo> => {
    // A declared size over the limit is refused before a byte is read.
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw tooLarge();
    if (!request.isMultipart()) {
      throw new ActionLensError('AL_ERR_BAD_REQUEST', 'An upload must be multipart/form-data with one file field named "file".');
    }
    const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5 } });
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new ActionLensError('AL_ERR_BAD_REQUEST', 'The upload has no file field named "file".');
    }
    let name: string;
    try {
      name = checkUploadName(part.filename);
    } catch (err) {
      part.file.resume(); // drain, so the error reply can be read by the client
      throw err;
    }
    const { id, dir } = await ctx.temp.create('upload');
    // Stored under a fixed name: the user's name is for display only, never part of a path.
    const file = path.join(dir, 'input');
    try {
      await pipeline(part.file, createWriteStream(file, { flags: 'wx' }));
      if (part.file.truncated) throw tooLarge();
      const abort = new AbortController();
      request.raw.once('close', () => abort.abort());
      const info = await admitVideo(file, name, {
        tools: ctx.tools,
        maxDurationSec: ctx.config.server.max_duration_sec,
        signal: abort.signal,
      });
      ctx.uploads.add({ id, dir, path: file, name, info });
      ctx.logger.info({ upload: id, bytes: info.sizeBytes, duration: info.durationSec }, 'upload accepted');
      void reply.status(201);
      return {
        upload_id: id,
        name,
        size_bytes: info.sizeBytes,
        duration_s: info.durationSec,
        width: info.width,
        height: info.height,
        fps: info.fps,
      };
    } catch (err) {
      await ctx.temp.remove(dir);
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw err;
    }
  });
}
