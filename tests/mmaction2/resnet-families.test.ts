// The ResNet-based families are registered under their config's backbone.type, and the builders
// refuse configs and view shapes they cannot honour with messages that name the key and value.
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { buildC2d } from '../../src/models/converters/mmaction2/c2d.js';
import { MMACTION2_BACKBONES } from '../../src/models/converters/mmaction2/families.js';
import { buildMobileNetV2Tsm } from '../../src/models/converters/mmaction2/mobilenetv2-tsm.js';
import { buildR2plus1d } from '../../src/models/converters/mmaction2/r2plus1d.js';
import { buildTsn } from '../../src/models/converters/mmaction2/resnet2d.js';
import { buildResNet3d, buildSlowOnly } from '../../src/models/converters/mmaction2/resnet3d.js';
import { buildTsm } from '../../src/models/converters/mmaction2/tsm.js';
import type { RecognizerBuilder } from '../../src/models/converters/mmaction2/types.js';
import { createGoldenSource } from '../../src/models/converters/mmaction2/golden-weights.js';
import { loadFixture } from './parity-harness.js';

const EXPECTED: [string, RecognizerBuilder][] = [
  ['tsn_r50_1x1x8', buildTsn],
  ['tsm_r50_1x1x8', buildTsm],
  ['tsm_mobilenetv2_1x1x8', buildMobileNetV2Tsm],
  ['i3d_r50_32x2x1', buildResNet3d],
  ['slowonly_r50_4x16x1', buildSlowOnly],
  ['c2d_r50_8x8x1', buildC2d],
  ['r2plus1d_r34_32x2x1', buildR2plus1d],
];

function buildError(build: RecognizerBuilder, model: unknown, viewShape: number[]): ActionLensError {
  try {
    build(model as Parameters<RecognizerBuilder>[0], createGoldenSource(), { viewShape });
  } catch (e) {
    if (e instanceof ActionLensError) return e;
    throw e;
  }
  throw new Error('the builder accepted the config');
}

describe('MMACTION2_BACKBONES (ResNet families)', () => {
  it.each(EXPECTED)('%s: backbone.type maps to its builder', (name, build) => {
    const fx = loadFixture(name);
    expect(MMACTION2_BACKBONES[fx.model.backbone.type]).toBe(build);
  });
});

describe('config and view checks', () => {
  const tsm = loadFixture('tsm_r50_1x1x8').model;
  const i3d = loadFixture('i3d_r50_32x2x1').model;

  it('TSM refuses a view whose segment count differs from num_segments', () => {
    const err = buildError(buildTsm, tsm, [16, 3, 224, 224]);
    expect(err.code).toBe('AL_ERR_CONVERSION_FAILED');
    expect(err.message).toContain('viewShape[0] = 16');
    expect(err.message).toContain('num_segments = 8');
  });

  it('TSM refuses temporal_pool, naming the key and the value', () => {
    const err = buildError(buildTsm, { ...tsm, backbone: { ...tsm.backbone, temporal_pool: true } }, [8, 3, 224, 224]);
    expect(err.message).toContain('backbone.temporal_pool = true');
  });

  it('refuses a head of another family', () => {
    const err = buildError(buildTsn, { ...tsm, backbone: { type: 'ResNet', depth: 50 }, cls_head: { ...tsm.cls_head, type: 'TSMHead' } }, [8, 3, 224, 224]);
    expect(err.message).toContain('cls_head.type = "TSMHead"');
  });

  it('I3D refuses inflate flags that do not match the block count', () => {
    const err = buildError(buildResNet3d, { ...i3d, backbone: { ...i3d.backbone, inflate: [[1, 1], 0, 0, 0] } }, [3, 32, 224, 224]);
    expect(err.message).toContain('backbone.inflate[0] = [1, 1] has 2 flags, but layer1 has 3 blocks');
  });

  it('a 3D recognizer refuses a 2D view shape', () => {
    const err = buildError(buildResNet3d, i3d, [8, 3, 224, 224]);
    expect(err.message).toContain('viewShape = [8, 3, 224, 224]');
  });

  it('refuses in_channels that differ from the backbone width', () => {
    const err = buildError(buildResNet3d, { ...i3d, cls_head: { ...i3d.cls_head, in_channels: 1024 } }, [3, 32, 224, 224]);
    expect(err.message).toContain('cls_head.in_channels = 1024, but the backbone outputs 2048 channels');
  });
});
