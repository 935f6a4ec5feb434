// An MMAction2 zoo model end to end through `actionlens infer` (built CLI): the zoo entry, pointed at
// a checkpoint the test writes in the zoo's format (OpenMMLab {meta, state_dict}, `module.` keys,
// golden weights) -> strict .pth loading -> ONNX -> clip engine -> result document. The weights are
// synthetic, so labels mean nothing: shapes, timeline and document validity are what is checked.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { validateResultDocument, type ResultDocument } from '../../src/core/result/index.js';
import { getModelSpec } from '../../src/models/zoo.js';
import { assertCliBuilt, makeCliSandbox, media, runCli, type CliSandbox } from '../e2e/cli.js';
import { loadFixture } from '../mmaction2/parity-harness.js';
import { fixtureEntries, writeGoldenCheckpoint } from './helpers/golden-checkpoint.js';

const ZOO_ID = 'tsm-mobilenetv2-1x1x8-k400';
/**
 * Largest relative difference allowed between int8 and fp32 aggregate scores. The synthetic weights
 * give near-uniform scores (~0.003 each), so an absolute bound would say nothing; measured 0.05 %.
 */
const INT8_RELATIVE_TOLERANCE = 0.01;
let box: CliSandbox;
let specPath: string;
let weightsDir: string;

beforeAll(() => {
  assertCliBuilt();
  box = makeCliSandbox('zoo-infer');
  weightsDir = box.file('weights');
  mkdirSync(weightsDir);
  const bytes = writeGoldenCheckpoint(fixtureEntries(loadFixture('tsm_mobilenetv2_1x1x8')), { modulePrefix: true });
  writeFileSync(path.join(weightsDir, 'my_tsm_mobilenetv2.pth'), bytes);
  // The zoo entry as it is, with its source pointed at our checkpoint (a user's own copy of a zoo model).
  const spec = getModelSpec(ZOO_ID);
  spec.id = 'my-tsm-mobilenetv2';
  spec.source = {
    urls: [],
    file_name: 'my_tsm_mobilenetv2.pth',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    license: 'test data',
    converter: 'mmaction2-pth',
  };
  specPath = path.join(weightsDir, 'my-tsm.model.yaml');
  writeFileSync(specPath, stringifyYaml(spec));
});
afterAll(() => box.cleanup());

describe('actionlens infer with an MMAction2 zoo model', () => {
  it('runs the zoo architecture from a zoo-format checkpoint and writes a valid timeline', async () => {
    const out = box.file('tsm.json');
    // The spec file's folder is searched for the checkpoint: no --mirror for it is needed.
    const r = await box.infer([media('arm_wrestling.mp4'), '--model', specPath, '--offline', '--window', '2', '--json', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc: ResultDocument = validateResultDocument(JSON.parse(readFileSync(out, 'utf8')));
    expect(doc.model).toMatchObject({ id: 'my-tsm-mobilenetv2', family: 'tsm' });
    expect(doc.source).toMatchObject({ name: 'arm_wrestling.mp4', width: 340, height: 256 });
    expect(doc.settings.clip_protocol).toBe('timeline');
    // 2 s windows over ~9.3 s of video, each with a top-5 over the 400 Kinetics classes.
    expect(doc.timeline.length).toBe(Math.ceil(doc.source.duration_s / 2));
    const scored = doc.timeline.filter((w) => w.topk.length > 0);
    expect(scored.length).toBeGreaterThan(0);
    for (const w of scored) {
      expect(w.topk).toHaveLength(5);
      for (const s of w.topk) expect(s.index).toBeLessThan(400);
    }
    expect(doc.aggregate.topk).toHaveLength(5);
    expect(doc.timings.convert_ms).toBeGreaterThan(0);
  });

  it('`models convert` writes an ONNX + spec that `infer --model <spec>` runs, with the same scores as the .pth path', async () => {
    const onnx = path.join(weightsDir, 'converted.onnx');
    const c = await runCli(['models', 'convert', path.join(weightsDir, 'my_tsm_mobilenetv2.pth'), '--arch', ZOO_ID, '--out', onnx, '--log-level', 'warn']);
    expect(c.code).toBe(0);
    const out = box.file('converted.json');
    const r = await box.infer([media('arm_wrestling.mp4'), '--model', path.join(weightsDir, 'converted.model.yaml'), '--offline', '--window', '2', '--json', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const viaOnnx = validateResultDocument(JSON.parse(readFileSync(out, 'utf8')));
    const viaPth = validateResultDocument(JSON.parse(readFileSync(box.file('tsm.json'), 'utf8')));
    expect(viaOnnx.timeline).toEqual(viaPth.timeline);
  });

  it('--precision int8 calibrates on the video, caches the int8 model and keeps the scores close to fp32', async () => {
    const out = box.file('tsm-int8.json');
    const r = await box.infer([media('arm_wrestling.mp4'), '--model', specPath, '--offline', '--window', '2', '--precision', 'int8', '--json', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const int8 = validateResultDocument(JSON.parse(readFileSync(out, 'utf8')));
    const fp32 = validateResultDocument(JSON.parse(readFileSync(box.file('tsm.json'), 'utf8')));
    expect(fp32.model.precision).toBe('fp32');
    expect(int8.model).toMatchObject({ precision: 'int8', quantization: { method: 'static-qdq', calibration: [{ name: 'arm_wrestling.mp4', sha256: fp32.source.sha256 }] } });
    expect(int8.model.onnx_sha256).not.toBe(fp32.model.onnx_sha256);
    expect(int8.timings.quantize_ms).toBeGreaterThan(0);
    expect(int8.timeline.map((w) => [w.t_start, w.t_end])).toEqual(fp32.timeline.map((w) => [w.t_start, w.t_end]));
    // The same top-5 labels, each score within 1 % of its fp32 value.
    expect(new Set(int8.aggregate.topk.map((s) => s.index))).toEqual(new Set(fp32.aggregate.topk.map((s) => s.index)));
    const fpScore = new Map(fp32.aggregate.topk.map((s) => [s.index, s.score]));
    for (const s of int8.aggregate.topk) expect(Math.abs(s.score - fpScore.get(s.index)!) / fpScore.get(s.index)!).toBeLessThan(INT8_RELATIVE_TOLERANCE);

    // Calibrating on another video makes (and caches) another int8 model; the same video again reuses it.
    const other = box.file('tsm-int8-carving.json');
    const again = await box.infer([media('arm_wrestling.mp4'), '--model', specPath, '--offline', '--window', '2', '--precision', 'int8', '--calibration', media('carving_ice.mp4'), '--json', other]);
    expect(again.code).toBe(0);
    const viaCarving = validateResultDocument(JSON.parse(readFileSync(other, 'utf8')));
    expect(viaCarving.model.quantization?.calibration.map((c) => c.name)).toEqual(['carving_ice.mp4']);
    expect(viaCarving.model.onnx_sha256).not.toBe(int8.model.onnx_sha256);
  });

  it('--precision int8 with a calibration video that does not exist says so and what to do', async () => {
    const r = await box.infer([media('arm_wrestling.mp4'), '--model', specPath, '--offline', '--precision', 'int8', '--calibration', box.file('nope.mp4'), '--json', box.file('nope.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/AL_ERR_INPUT_NOT_FOUND: Calibration video [^\n]*nope\.mp4 cannot be read/);
    expect(r.stderr).toContain('runtime.calibration');
  });

  it('a zoo id that is not cached, offline, says where to get the official checkpoint', async () => {
    const r = await box.infer([media('arm_wrestling.mp4'), '--model', ZOO_ID, '--offline', '--json', box.file('none.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/AL_ERR_OFFLINE: Model 'tsm-mobilenetv2-1x1x8-k400' needs/);
    expect(r.stderr).toContain('download.openmmlab.com');
  });

  it('a spec file that does not validate names the bad field', async () => {
    const bad = box.file('bad.model.yaml');
    writeFileSync(bad, stringifyYaml({ ...getModelSpec(ZOO_ID), num_classes: 0 }));
    const r = await runCli(['infer', media('arm_wrestling.mp4'), '--model', bad, '--cache-dir', box.cacheDir, '--offline']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/AL_ERR_INVALID_SETTINGS: [^\n]*bad\.model\.yaml[\s\S]*num_classes: Too small/);
  });
});
