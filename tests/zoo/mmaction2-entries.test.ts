// The MMAction2 zoo entries against the golden fixtures they were generated from: same config model
// dict, same test pipeline, the official Kinetics-400 checkpoint, a builder for the backbone, and a
// graph input that matches the input MMAction2 computed the fixture logits with.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MMACTION2_BACKBONES } from '../../src/models/converters/mmaction2/families.js';
import { viewShapeOf } from '../../src/models/converters/mmaction2/convert-checkpoint.js';
import { loadLabels } from '../../src/models/store/index.js';
import type { ModelSpec } from '../../src/models/spec.js';
import { inputFromPipeline } from '../../src/models/zoo/pipeline-input.js';
import { listModels } from '../../src/models/zoo.js';
import { FIXTURES, type GoldenFixture } from '../mmaction2/parity-harness.js';

interface ZooFixture extends GoldenFixture {
  config: string;
  test_pipeline: { type: string; [k: string]: unknown }[];
  data_preprocessor: { mean: number[]; std: number[] };
  metafile: { Name: string; Dataset: string; Weights: string; Top1: number | null }[];
  readme_fallback?: { Weights: string[] }[];
  input: GoldenFixture['input'] & { note: string };
}

const fixtures: ZooFixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .map((f) => JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as ZooFixture);
const mmaction2Models = listModels().filter((s) => s.source.converter === 'mmaction2-pth');

/** Every checkpoint URL a fixture's metafile (or README fallback) gives for Kinetics-400. */
function officialUrls(fx: ZooFixture): string[] {
  const meta = fx.metafile.filter((m) => m.Dataset === 'Kinetics-400').map((m) => m.Weights);
  return meta.length > 0 ? meta : (fx.readme_fallback ?? []).flatMap((r) => r.Weights);
}

function entryFor(fx: ZooFixture): ModelSpec {
  const matches = mmaction2Models.filter((s) => officialUrls(fx).includes(s.source.urls[0]!));
  expect(matches.map((s) => s.id), `zoo entries for fixture ${fx.name}`).toHaveLength(1);
  return matches[0]!;
}

describe('MMAction2 zoo entries', () => {
  it('has the 16 fixture models, each once', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(16);
    expect(new Set(fixtures.map((fx) => entryFor(fx).id)).size).toBe(16);
    expect(mmaction2Models).toHaveLength(16);
  });

  it.each(fixtures.map((fx) => [fx.name, fx] as const))('%s: config, checkpoint and protocol match the fixture', (_name, fx) => {
    const spec = entryFor(fx);
    expect(spec.mmaction2?.model).toEqual(fx.model);
    expect(spec.mmaction2?.test_pipeline).toEqual(fx.test_pipeline);
    expect(MMACTION2_BACKBONES[fx.model.backbone.type], `builder for ${fx.model.backbone.type}`).toBeTypeOf('function');
    expect(spec.num_classes).toBe(fx.model.cls_head.num_classes);

    const url = spec.source.urls[0]!;
    expect(url.startsWith('https://download.openmmlab.com/mmaction/v1.0/')).toBe(true);
    expect(url.endsWith(`/${spec.source.file_name}`)).toBe(true);
    expect(spec.source.file_name).toMatch(new RegExp(`-${spec.source.sha256_prefix}\\.pth$`));
    expect(spec.source.sha256_prefix).toMatch(/^[0-9a-f]{8}$/);

    expect(spec.input).toEqual(inputFromPipeline(fx.test_pipeline, fx.data_preprocessor));
    expect(spec.input).toMatchObject({ mean: fx.data_preprocessor.mean, std: fx.data_preprocessor.std });
    // The fixture's own input is the pipeline's single view, except the 8-segment TSN variant.
    if (!fx.input.note.includes('instead of the 25-clip test pipeline')) {
      const is3d = fx.model.type === 'Recognizer3D';
      expect(viewShapeOf(spec, fx.model)).toEqual(fx.input.shape.slice(is3d ? 2 : 1));
    }
  });

  it('ships the Kinetics-400 label map with 400 labels for every entry', async () => {
    for (const spec of mmaction2Models) {
      expect(spec.dataset).toBe('kinetics-400');
      const labels = await loadLabels(spec);
      expect(labels).toHaveLength(400);
      expect(labels[0]).toBe('abseiling');
    }
  });

  it('carries the metafile figures (top1 always; FLOPs and params where published)', () => {
    const tsn = mmaction2Models.find((s) => s.id === 'tsn-r50-1x1x8-k400')!;
    expect(tsn.accuracy).toEqual({ top1: 74.12, top5: 91.34 });
    expect(tsn.flops).toBe(102.7e9);
    expect(tsn.params).toBe(24_330_000);
    for (const spec of mmaction2Models) expect(spec.accuracy?.top1).toBeGreaterThan(60);
  });
});
