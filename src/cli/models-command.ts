// `actionlens models list|pull|path|convert`: what the zoo has, fetch + convert ahead of time, where
// it lives, and a user's own MMAction2 checkpoint to ONNX.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { stringify as stringifyYaml } from 'yaml';
import { readConfigFile } from '../config/read-config-file.js';
import { ActionLensError } from '../core/errors.js';
import { writeOutputFile } from '../io/atomic-write.js';
import { convertMmaction2CheckpointDetailed } from '../models/converters/mmaction2/convert-checkpoint.js';
import { LABEL_MAPS, parseLabelMap } from '../models/labels.js';
import { validateModelSpec } from '../models/spec.js';
import { archFromConfig, archFromZoo, withNumClasses } from '../models/zoo/custom-mmaction2.js';
import { prepareModel } from '../app/prepare-model.js';
import type { AppConfig } from '../core/settings/index.js';
import { modelStatus } from '../models/store/index.js';
import { sha256Bytes } from '../models/store/hash.js';
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

export interface ModelsConvertFlags {
  arch: string;
  numClasses?: number;
  labels?: string;
  out?: string;
}

/**
 * `actionlens models convert <ckpt.pth> --arch ...`: a user's own (fine-tuned) MMAction2 checkpoint
 * to ONNX, strictly loaded, plus a model spec YAML beside it when the labels are known.
 */
export async function runModelsConvert(checkpointPath: string, flags: ModelsConvertFlags, logger: Logger): Promise<number> {
  const bytes = await readInputFile(checkpointPath, 'checkpoint');
  let arch = /\.(json|ya?ml)$/i.test(flags.arch) ? archFromConfig(await readConfigFile(flags.arch), flags.arch) : archFromZoo(flags.arch);
  if (flags.numClasses !== undefined) arch = withNumClasses(arch, flags.numClasses);
  const numClasses = arch.mmaction2.model.cls_head.num_classes;
  const labels = await labelsFor(flags.labels, numClasses);

  const base = path.basename(checkpointPath).replace(/\.(pth|pt|ckpt)$/i, '');
  const id = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 100) || 'custom-model';
  const spec = validateModelSpec(
    {
      id,
      display_name: `${base} (${arch.mmaction2.model.backbone.type}, ${numClasses} classes)`,
      family: arch.family,
      dataset: 'custom',
      num_classes: numClasses,
      // The converter never reads labels; a placeholder keeps the spec valid when none were given.
      labels: labels ?? LABEL_MAPS.kinetics400,
      source: { urls: [], file_name: 'checkpoint.pth', sha256: sha256Bytes(bytes), license: 'unknown', converter: 'mmaction2-pth' },
      input: arch.input,
      output: arch.output,
      mmaction2: arch.mmaction2,
    },
    `model spec for ${checkpointPath}`,
  );

  const t0 = performance.now();
  const converted = convertMmaction2CheckpointDetailed(bytes, spec, { consumeInput: true }); // bytes are not used again
  const convertMs = performance.now() - t0;
  const out = flags.out ?? path.join(path.dirname(checkpointPath), `${base}.onnx`);
  await writeOutputFile(out, converted.onnxChunks);
  logger.info({ checkpoint: checkpointPath, arch: arch.zooId ?? flags.arch, onnx: out, ms: Math.round(convertMs) }, 'checkpoint converted to ONNX');

  let specPath: string | undefined;
  if (labels) {
    specPath = out.replace(/\.onnx$/i, '') + '.model.yaml';
    const onnxSpec = { ...spec, source: { urls: [], file_name: path.basename(out), sha256: sha256Bytes(converted.onnxChunks), license: 'unknown', converter: 'onnx' } };
    await writeOutputFile(specPath, stringifyYaml(onnxSpec));
  } else if (numClasses !== 400) {
    logger.warn({ num_classes: numClasses }, 'no --labels given: wrote the ONNX only; pass --labels FILE (one label a line) to also write a model spec');
  }
  process.stdout.write(`onnx\t${out}\ninput\t[views, ${converted.viewShape.join(', ')}]\nclasses\t${numClasses}\n${specPath ? `spec\t${specPath}\n` : ''}`);
  return 0;
}

async function readInputFile(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ActionLensError('AL_ERR_INPUT_NOT_FOUND', `Cannot read ${what} ${file}: ${code}.`, { hint: 'Check the path.', cause: e });
  }
}

/** --labels: one label a line, exactly num_classes of them; without it, Kinetics-400 for 400 classes. */
async function labelsFor(file: string | undefined, numClasses: number): Promise<{ file: string; sha256: string } | undefined> {
  if (file === undefined) return numClasses === 400 ? LABEL_MAPS.kinetics400 : undefined;
  const bytes = await readInputFile(file, 'label map');
  parseLabelMap(new TextDecoder().decode(bytes), numClasses, file);
  return { file: path.resolve(file), sha256: sha256Bytes(bytes) };
}
