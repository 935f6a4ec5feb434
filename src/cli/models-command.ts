// `actionlens models list|pull|path`: what the zoo has, fetch + convert ahead of time, where it lives.
import type { Logger } from 'pino';
import { prepareModel } from '../app/prepare-model.js';
import type { AppConfig } from '../core/settings/index.js';
import { modelStatus } from '../models/store/index.js';
import { getModelSpec, listModels } from '../models/zoo.js';

export async function runModelsList(config: AppConfig, asJson: boolean): Promise<number> {
  const cacheDir = config.store.cache_dir ?? undefined;
  const rows = await Promise.all(
    listModels().map(async (spec) => {
      const status = await modelStatus(spec, { cacheDir });
      return {
        id: spec.id,
        family: spec.family,
        dataset: spec.dataset,
        top1: spec.accuracy?.top1 ?? null,
        input: spec.input_size ?? '',
        size_mb: spec.source.size_bytes ? +(spec.source.size_bytes / 1e6).toFixed(1) : null,
        downloaded: status.artifact.downloaded,
        converted: status.converted.length > 0,
      };
    }),
  );
  if (asJson) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const head = ['id', 'family', 'dataset', 'top1', 'input', 'MB', 'downloaded', 'converted'];
  const table = rows.map((r) => [r.id, r.family, r.dataset, r.top1?.toFixed(1) ?? '-', r.input, r.size_mb?.toString() ?? '-', r.downloaded ? 'yes' : 'no', r.converted ? 'yes' : 'no']);
  const widths = head.map((h, c) => Math.max(h.length, ...table.map((r) => r[c]!.length)));
  for (const r of [head, ...table]) process.stdout.write(r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd() + '\n');
  return 0;
}

export async function runModelsPull(ids: string[], config: AppConfig, logger: Logger): Promise<number> {
  for (const id of ids) {
    let last = -1;
    const prepared = await prepareModel(
      { ...config, model: id },
      {
        logger,
        onDownloadProgress: (received, total) => {
          const pct = total ? Math.floor((received / total) * 100) : -1;
          if (pct !== last && pct % 10 === 0) logger.info({ model: id, received, total }, `downloading ${pct}%`);
          last = pct;
        },
      },
    );
    logger.info({ model: id, onnx: prepared.onnxPath, download_ms: Math.round(prepared.timings.download_ms), convert_ms: Math.round(prepared.timings.convert_ms) }, 'model ready');
    process.stdout.write(`${id}\t${prepared.onnxPath}\n`);
  }
  return 0;
}

export async function runModelsPath(id: string, config: AppConfig): Promise<number> {
  const spec = getModelSpec(id);
  const status = await modelStatus(spec, { cacheDir: config.store.cache_dir ?? undefined });
  process.stdout.write(`cache\t${status.cacheDir}\nartifact\t${status.artifact.path}${status.artifact.downloaded ? '' : '  (not downloaded)'}\n`);
  for (const c of status.converted) process.stdout.write(`onnx\t${c.path}\n`);
  return 0;
}
