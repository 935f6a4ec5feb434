// `actionlens models convert` through the built CLI (run `npm run build` first): a zoo id, a
// fine-tuned head from a config file, and the errors a user sees for a wrong --arch.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateModelSpec } from '../../src/models/spec.js';
import { assertCliBuilt, runCli } from '../e2e/cli.js';
import { loadFixture } from '../mmaction2/parity-harness.js';
import { makeTempDir } from '../store/helpers.js';
import { fixtureEntries, writeGoldenCheckpoint } from './helpers/golden-checkpoint.js';
import { compareWithFixture } from './helpers/run-onnx.js';

const fx = loadFixture('tsm_mobilenetv2_1x1x8');
const VIEW = [8, 3, 256, 256];
let tmp: ReturnType<typeof makeTempDir>;
let checkpoint: string;

beforeAll(() => {
  assertCliBuilt();
  tmp = makeTempDir('actionlens-convert-');
  checkpoint = path.join(tmp.dir, 'my_tsm.pth');
  writeFileSync(checkpoint, writeGoldenCheckpoint(fixtureEntries(fx), { modulePrefix: true }));
});
afterAll(() => tmp.cleanup());

describe('actionlens models convert', () => {
  it('converts a checkpoint for a zoo id to ONNX at golden parity, with a model spec beside it', async () => {
    const out = path.join(tmp.dir, 'tsm.onnx');
    const r = await runCli(['models', 'convert', checkpoint, '--arch', 'tsm-mobilenetv2-1x1x8-k400', '--out', out, '--log-level', 'warn']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`onnx\t${out}\n`);
    expect(r.stdout).toContain('input\t[views, 8, 3, 256, 256]\n');
    const result = await compareWithFixture(new Uint8Array(readFileSync(out)), fx, VIEW);
    expect(result.relError).toBeLessThanOrEqual(1e-3);

    const spec = validateModelSpec(parseYaml(readFileSync(path.join(tmp.dir, 'tsm.model.yaml'), 'utf8')));
    expect(spec.source).toMatchObject({ converter: 'onnx', file_name: 'tsm.onnx' });
    expect(spec.labels.file).toBe('kinetics400.txt');
    expect(spec.input).toMatchObject({ layout: 'NCHW-segments', num_clips: 8, crop: { size: 256, mode: 'three' } });
  }, 90_000);

  it('takes a config model dict from JSON with --num-classes and --labels for a fine-tuned head', async () => {
    // A 5-class head: the golden generator gives its weights the first 5 rows of the 400-class head.
    const entries = fixtureEntries(fx).map((e) =>
      e.key === 'cls_head.fc_cls.weight' ? { ...e, shape: [5, 1280] } : e.key === 'cls_head.fc_cls.bias' ? { ...e, shape: [5] } : e,
    );
    const tuned = path.join(tmp.dir, 'tuned.pth');
    writeFileSync(tuned, writeGoldenCheckpoint(entries));
    const config = path.join(tmp.dir, 'config.json');
    writeFileSync(config, JSON.stringify({ model: fx.model }));
    const labels = path.join(tmp.dir, 'labels.txt');
    writeFileSync(labels, 'wave\nclap\njump\nsit\nrun\n');

    const r = await runCli(['models', 'convert', tuned, '--arch', config, '--num-classes', '5', '--labels', labels, '--log-level', 'warn']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = path.join(tmp.dir, 'tuned.onnx');
    const result = await compareWithFixture(new Uint8Array(readFileSync(out)), fx, VIEW, 5);
    expect(result.logitsShape).toEqual([1, 5]);
    expect(result.relError).toBeLessThanOrEqual(1e-3);
    const spec = validateModelSpec(parseYaml(readFileSync(path.join(tmp.dir, 'tuned.model.yaml'), 'utf8')));
    expect(spec.num_classes).toBe(5);
    expect(spec.labels.file).toBe(labels);
  }, 90_000);

  it('prints the PyTorch-style report when the checkpoint does not fit --arch, and writes nothing', async () => {
    const out = path.join(tmp.dir, 'wrong.onnx');
    // 'tsm' is the TSM ResNet-50 family entry; the checkpoint is a MobileNetV2 TSM.
    const r = await runCli(['models', 'convert', checkpoint, '--arch', 'tsm', '--out', out, '--log-level', 'warn']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error AL_ERR_CHECKPOINT_MISMATCH: Error\(s\) in loading state_dict for Recognizer2D:\n\tMissing key\(s\) in state_dict: "backbone\.layer1\.0\.conv1\.conv\.net\.weight", /);
    expect(r.stderr).toContain('\n\tUnexpected key(s) in state_dict: "backbone.layer1.0.conv.0.conv.weight", ');
    expect(r.stderr).toContain(
      '\n\tsize mismatch for backbone.conv1.conv.weight: copying a param with shape [32, 3, 3, 3] from checkpoint, the shape in current model is [64, 3, 7, 7].\n',
    );
    expect(r.stderr).toContain('the shape in current model is [400, 2048].\n  hint: ');
    expect(existsSync(out)).toBe(false);
  }, 90_000);

  it('names the choices for an unknown --arch', async () => {
    const r = await runCli(['models', 'convert', checkpoint, '--arch', 'resnet9000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error AL_ERR_INVALID_SETTINGS: --arch 'resnet9000' is not an MMAction2 zoo id, family or config file.");
    expect(r.stderr).toContain('Families: tsn, tsm, i3d, slowonly, c2d, r2plus1d, x3d, slowfast, timesformer, videomae, mvit, swin.');
  });
});
