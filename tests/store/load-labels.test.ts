import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { loadLabels } from '../../src/models/store/load-labels.js';
import { getModelSpec } from '../../src/models/zoo.js';
import { LABEL_MAPS } from '../../src/models/labels.js';
import { makeTempDir } from './helpers.js';

const SHARED_LABELS = path.resolve(process.cwd(), '../shared/labels');
let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir('actionlens-labels-');
});
afterEach(() => tmp.cleanup());

describe('loadLabels', () => {
  it('loads the shipped Kinetics-600 map for MoViNet, identical to the shared reference', async () => {
    const labels = await loadLabels(getModelSpec('movinet-a0-stream-k600'));
    const reference = readFileSync(path.join(SHARED_LABELS, 'kinetics600.txt'), 'utf8').trimEnd().split('\n');
    expect(labels).toHaveLength(600);
    expect(labels).toEqual(reference);
  });

  it('loads the shipped Kinetics-400 map', async () => {
    const spec = { id: 'k400-model', labels: LABEL_MAPS.kinetics400, num_classes: 400 };
    const labels = await loadLabels(spec);
    expect(labels).toEqual(readFileSync(path.join(SHARED_LABELS, 'kinetics400.txt'), 'utf8').trimEnd().split('\n'));
  });

  it('refuses an edited label map and a map whose size does not match num_classes', async () => {
    const spec = getModelSpec('movinet-a0-stream-k600');
    const edited = path.join(tmp.dir, 'kinetics600.txt');
    writeFileSync(edited, readFileSync(path.join(SHARED_LABELS, 'kinetics600.txt'), 'utf8').replace('abseiling', 'abseil'));
    const e1 = await loadLabels(spec, { labelsDir: tmp.dir }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ActionLensError);
    expect((e1 as ActionLensError).code).toBe('AL_ERR_LABELS_INVALID');
    expect((e1 as ActionLensError).message).toContain(spec.labels.sha256);

    copyFileSync(path.join(SHARED_LABELS, 'kinetics600.txt'), edited);
    const e2 = await loadLabels({ ...spec, num_classes: 400 }, { labelsDir: tmp.dir }).catch((e: unknown) => e);
    expect((e2 as ActionLensError).code).toBe('AL_ERR_LABELS_INVALID');
    expect((e2 as ActionLensError).message).toMatch(/600 labels but the model has num_classes=400/);
  });
});
