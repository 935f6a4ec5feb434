// What the page needs to offer choices: server defaults and limits, the model zoo with what a user
// weighs (accuracy, cost, size, already downloaded?), and the sample clips.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ModelList, ModelSummary, SampleList, ServerInfo } from '../../core/api/index.js';
import { EXECUTION_PROVIDERS } from '../../core/settings/index.js';
import { actionlensVersion } from '../../app/environment.js';
import type { ModelSpec } from '../../models/spec.js';
import { modelStatus } from '../../models/store/index.js';
import { listModels } from '../../models/zoo.js';
import type { ServerContext } from '../context.js';

/** Providers worth offering on this platform (the runtime falls back to CPU when one does not load). */
function platformProviders(): ServerInfo['execution_providers'] {
  const wanted = process.platform === 'darwin' ? ['cpu', 'coreml'] : process.platform === 'win32' ? ['cpu', 'dml', 'cuda'] : ['cpu', 'cuda', 'tensorrt'];
  return EXECUTION_PROVIDERS.filter((p) => wanted.includes(p));
}

/** How stale the downloaded/converted flags of GET /api/models may be. */
const MODEL_LIST_TTL_MS = 2000;

const VIDEO_EXTENSIONS = new Set(['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.gif', '.mpg', '.mpeg', '.ts']);

export async function summarizeModel(spec: ModelSpec, cacheDir: string | undefined): Promise<ModelSummary> {
  const status = await modelStatus(spec, { cacheDir }).catch(() => undefined);
  return {
    id: spec.id,
    display_name: spec.display_name,
    family: spec.family,
    dataset: spec.dataset,
    num_classes: spec.num_classes,
    kind: spec.output.stream ? 'stream' : 'clip',
    ...(spec.input_size ? { input_size: spec.input_size } : {}),
    ...(spec.accuracy ? { top1: spec.accuracy.top1, ...(spec.accuracy.top5 !== undefined ? { top5: spec.accuracy.top5 } : {}) } : {}),
    ...(spec.flops !== undefined ? { gflops: Math.round(spec.flops / 1e7) / 100 } : {}),
    ...(spec.params !== undefined ? { params_m: Math.round(spec.params / 1e4) / 100 } : {}),
    ...(spec.source.size_bytes !== undefined ? { download_mb: Math.round(spec.source.size_bytes / 1e4) / 100 } : {}),
    license: spec.source.license,
    downloaded: status?.artifact.downloaded ?? false,
    converted: (status?.converted.length ?? 0) > 0,
  };
}

export async function catalogRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { config } = ctx;

  app.get('/api/info', async (): Promise<ServerInfo> => ({
    version: actionlensVersion(),
    default_model: config.model,
    analysis: config.analysis,
    execution_providers: [...new Set([...platformProviders(), ...config.runtime.execution_providers])],
    default_execution_providers: config.runtime.execution_providers,
    default_precision: config.runtime.precision,
    calibration_videos: config.runtime.calibration.length,
    limits: { max_upload_mb: config.server.max_upload_mb, max_duration_sec: config.server.max_duration_sec },
    samples: config.server.samples_dir !== null,
    url_input: { allow_private: config.server.url_input.allow_private },
  }));

  // The cache status costs a few file reads per model: computed at most once per MODEL_LIST_TTL_MS,
  // however many pages ask (bench/server-load.mjs: 271 -> 5131 requests/s on 2 cores).
  // A job that prepared a model makes it stale at once (ctx.modelCache.generation).
  let modelList: { at: number; generation: number; list: Promise<ModelList> } | undefined;
  app.get('/api/models', async (): Promise<ModelList> => {
    const { generation } = ctx.modelCache;
    if (!modelList || modelList.generation !== generation || performance.now() - modelList.at > MODEL_LIST_TTL_MS) {
      const list = Promise.all(listModels().map((spec) => summarizeModel(spec, config.store.cache_dir ?? undefined))).then((models) => ({ models }));
      modelList = { at: performance.now(), generation, list };
      list.catch(() => (modelList = undefined));
    }
    return modelList.list;
  });

  app.get('/api/samples', async (): Promise<SampleList> => {
    const dir = config.server.samples_dir;
    if (!dir) return { samples: [] };
    const names = (await readdir(dir).catch(() => [] as string[])).filter(
      (n) => !n.startsWith('.') && VIDEO_EXTENSIONS.has(path.extname(n).toLowerCase()),
    );
    const samples = await Promise.all(names.sort().map(async (name) => ({ name, size_bytes: (await stat(path.join(dir, name))).size })));
    return { samples };
  });
}
