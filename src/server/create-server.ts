// The web app's server: the page (static files), the JSON API, server-sent job events and the live
// WebSocket, on fastify. Binds loopback by default; any other address needs a token. Nothing the
// user gives leaves the machine: the only outbound traffic is model downloads (and the URLs users
// ask it to fetch, behind the SSRF guard).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { ActionLensError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AppConfig } from '../core/settings/index.js';
import { packageRoot } from '../config/package-paths.js';
import { prepareModel } from '../app/prepare-model.js';
import { locateFfmpeg } from '../video/index.js';
import { generateToken, installAccessControl, isLoopbackHost } from './access.js';
import type { ServerContext } from './context.js';
import { installErrorHandling } from './http-errors.js';
import { createJobQueue } from './job-queue.js';
import { liveRoutes } from './live-routes.js';
import { createRecognizerPool } from './recognizer-pool.js';
import { catalogRoutes } from './routes/catalog.js';
import { jobRoutes } from './routes/jobs.js';
import { mediaRoutes } from './routes/media.js';
import { uploadRoutes } from './routes/uploads.js';
import { openTempArea } from './temp-area.js';
import { createUploadStore } from './upload-store.js';
import { installZodValidation } from './zod-validation.js';

export interface ActionLensServer {
  app: FastifyInstance;
  context: ServerContext;
  /** The token clients must send, or null (loopback without a token). */
  token: string | null;
  /** Starts listening; resolves with the page's address (with ?token= when one is needed). */
  listen(): Promise<string>;
  /** Stops accepting, cancels jobs, removes every temp file. */
  close(): Promise<void>;
}

export interface CreateServerOptions {
  logger: Logger;
  /** Folder of the built page; default: dist/web of this package. */
  webRoot?: string;
}

/** Headers for every response: the page may use SharedArrayBuffer (threaded WASM inference) only
 *  when cross-origin isolated, and nothing here is meant to be framed or sniffed. */
const SECURITY_HEADERS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
  ].join('; '),
};

function onnxRuntimeWebDist(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  } catch {
    return undefined;
  }
}

export async function createServer(config: AppConfig, opts: CreateServerOptions): Promise<ActionLensServer> {
  const { logger } = opts;
  const { host, port } = config.server;
  // A non-loopback bind without a configured token gets a fresh one (printed with the address).
  const token = config.server.token ?? (isLoopbackHost(host) ? null : generateToken());

  const temp = await openTempArea(config.server.temp_dir);
  const tools = locateFfmpeg({ ffmpegPath: config.video.ffmpeg ?? undefined, ffprobePath: config.video.ffprobe ?? undefined });
  const pool = createRecognizerPool(logger);
  const context: ServerContext = {
    config,
    logger,
    temp,
    tools,
    pool,
    modelCache: { generation: 0 },
    uploads: createUploadStore(temp, config.server.retain_sec),
    jobs: createJobQueue({
      concurrency: config.server.concurrency,
      maxQueued: config.server.max_queued,
      retainSec: config.server.retain_sec,
      temp,
      logger,
    }),
  };

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  installZodValidation(app);
  installErrorHandling(app, logger, config.server.max_upload_mb);
  installAccessControl(app, { token });
  app.addHook('onSend', async (_request, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(k)) void reply.header(k, v);
  });
  app.addHook('onResponse', async (request, reply) => {
    logger.debug({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  // preservePath: a name with folders in it is refused (admit-video.ts), not silently cut to its last part.
  await app.register(fastifyMultipart, { throwFileSizeLimit: true, preservePath: true });
  const webRoot = opts.webRoot ?? path.join(packageRoot() ?? process.cwd(), 'dist', 'web');
  if (existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: 'index.html', wildcard: true });
  } else {
    // The API works without the page; say how to get it.
    await app.register(fastifyStatic, { root: temp.root, serve: false });
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send(`The actionlens page is not built (no ${webRoot}/index.html). Run: npm run build`),
    );
  }
  const ortDist = onnxRuntimeWebDist();
  if (ortDist) {
    await app.register(fastifyStatic, { root: ortDist, prefix: '/ort/', decorateReply: false, allowedPath: (p) => /^\/?ort[\w.-]*\.(wasm|mjs)$/.test(p) });
  }

  await app.register(catalogRoutes, context);
  await app.register(uploadRoutes, context);
  await app.register(jobRoutes, context);
  await app.register(mediaRoutes, context);
  await app.register(liveRoutes, {
    config,
    logger,
    prepare: (modelId: string, signal?: AbortSignal) => prepareModel({ ...config, model: modelId }, { logger, signal }),
  });

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await context.jobs.close();
    await context.uploads.close();
    await pool.close();
    // Whatever is left (renders in flight) goes with the area's contents.
    for (const entry of await temp.list()) await temp.remove(path.join(temp.root, entry));
  };

  return {
    app,
    context,
    token,
    async listen() {
      try {
        await app.listen({ host, port });
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `Cannot listen on ${host}:${port}: ${(err as Error).message}`, {
          hint: code === 'EADDRINUSE' ? 'Another program uses that port: pick another with --port.' : 'Check server.host / --host.',
          cause: err,
        });
      }
      const addr = app.server.address();
      const boundPort = typeof addr === 'object' && addr ? addr.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      return `http://${shownHost}:${boundPort}/${token ? `?token=${token}` : ''}`;
    },
    close,
  };
}
