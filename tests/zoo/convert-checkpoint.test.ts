// The whole path for an MMAction2 zoo model: a .pth written the way MMAction2 saves it, filled with
// the golden weights -> convertMmaction2Checkpoint -> ONNX Runtime, at golden parity. Then the
// strict-loading errors a user sees when the checkpoint and the architecture disagree.
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { converterFor } from '../../src/models/converters/index.js';
import {
  convertMmaction2Checkpoint,
  convertMmaction2CheckpointDetailed,
  MMACTION2_CONVERTER_VERSION,
} from '../../src/models/converters/mmaction2/convert-checkpoint.js';
import { concatChunks } from '../../src/models/converters/onnx/index.js';
import { getModelSpec } from '../../src/models/zoo.js';
import { loadFixture } from '../mmaction2/parity-harness.js';
import { fixtureEntries, writeGoldenCheckpoint, type CheckpointEntry } from './helpers/golden-checkpoint.js';
import { compareWithFixture } from './helpers/run-onnx.js';

const fx = loadFixture('tsm_mobilenetv2_1x1x8');
const spec = getModelSpec('tsm-mobilenetv2-1x1x8-k400');
const entries = fixtureEntries(fx);

function mismatchOf(checkpoint: Uint8Array): ActionLensError {
  try {
    convertMmaction2Checkpoint(checkpoint, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(ActionLensError);
    return e as ActionLensError;
  }
  throw new Error('expected the conversion to fail');
}

describe('convertMmaction2Checkpoint: tsm-mobilenetv2-1x1x8-k400', () => {
  it('converts an OpenMMLab {meta, state_dict} checkpoint with module. prefixes at golden parity', async () => {
    const checkpoint = writeGoldenCheckpoint(entries, { openmmlab: true, modulePrefix: true });
    const t0 = performance.now();
    const converted = convertMmaction2CheckpointDetailed(checkpoint, spec);
    const convertMs = performance.now() - t0;
    console.log(JSON.stringify({ model: spec.id, checkpoint_bytes: checkpoint.length, onnx_bytes: converted.onnx.length, convert_ms: Math.round(convertMs) }));

    expect(converted.stateDictSource).toBe('state_dict');
    expect(converted.viewShape).toEqual([8, 3, 256, 256]); // [segments, C, H, W] from num_clips 8 + ThreeCrop 256
    expect(converted.viewShape).toEqual(fx.input.shape.slice(1));
    const result = await compareWithFixture(converted.onnx, fx, converted.viewShape);
    expect(result.logitsShape).toEqual([1, 400]);
    expect(result.relError).toBeLessThanOrEqual(1e-3);
  }, 60_000);

  it("is what converterFor('mmaction2-pth') runs, for a bare state dict too", async () => {
    const converter = converterFor('mmaction2-pth');
    expect(converter.version).toBe(MMACTION2_CONVERTER_VERSION);
    const onnx = await converter.convert(writeGoldenCheckpoint(entries, { openmmlab: false }), spec);
    const result = await compareWithFixture(onnx instanceof Uint8Array ? onnx : concatChunks(onnx), fx, [8, 3, 256, 256]);
    expect(result.relError).toBeLessThanOrEqual(1e-3);
  }, 60_000);
});

describe('consumeInput: batch-norm folding in the checkpoint bytes themselves', () => {
  // 2D conv modules (TSM-MobileNetV2), 3D conv modules (X3D: ConvModule3d with depthwise convs).
  for (const [fixtureName, zooId] of [['tsm_mobilenetv2_1x1x8', 'tsm-mobilenetv2-1x1x8-k400'], ['x3d_s_13x6x1', 'x3d-s-13x6x1-k400']] as const) {
    it(`${zooId}: gives the same ONNX as a conversion that copies, and really writes into the bytes`, () => {
      const fixture = loadFixture(fixtureName);
      const zooSpec = getModelSpec(zooId);
      const checkpoint = writeGoldenCheckpoint(fixtureEntries(fixture), { openmmlab: true });
      const copied = concatChunks(convertMmaction2CheckpointDetailed(checkpoint.slice(), zooSpec).onnxChunks);
      const handedOver = checkpoint.slice();
      const inPlace = concatChunks(convertMmaction2CheckpointDetailed(handedOver, zooSpec, { consumeInput: true }).onnxChunks);
      expect(Buffer.from(inPlace).equals(Buffer.from(copied))).toBe(true);
      // The folded weights live in the handed-over bytes now (nothing was copied for them).
      expect(Buffer.from(handedOver).equals(Buffer.from(checkpoint))).toBe(false);
    }, 60_000);
  }

});

describe('strict loading, worded like PyTorch', () => {
  const dropped = 'backbone.layer2.0.conv.1.conv.weight';
  const extra: CheckpointEntry = { key: 'backbone.extra_adapter.weight', shape: [4, 4], dtype: 'float32' };
  const resized = 'cls_head.fc_cls.weight';

  it('names a missing key', () => {
    const error = mismatchOf(writeGoldenCheckpoint(entries.filter((e) => e.key !== dropped)));
    expect(error.code).toBe('AL_ERR_CHECKPOINT_MISMATCH');
    expect(error.message).toBe(`Error(s) in loading state_dict for Recognizer2D:\n\tMissing key(s) in state_dict: "${dropped}". `);
  });

  it('names an unexpected key', () => {
    const error = mismatchOf(writeGoldenCheckpoint([...entries, extra], { modulePrefix: true }));
    expect(error.code).toBe('AL_ERR_CHECKPOINT_MISMATCH');
    expect(error.message).toBe(`Error(s) in loading state_dict for Recognizer2D:\n\tUnexpected key(s) in state_dict: "${extra.key}". `);
  });

  it('reports a size mismatch with both shapes (a 101-class head for a 400-class model)', () => {
    const wrongHead = entries.map((e) => (e.key === resized ? { ...e, shape: [101, 1280] } : e.key === 'cls_head.fc_cls.bias' ? { ...e, shape: [101] } : e));
    const error = mismatchOf(writeGoldenCheckpoint(wrongHead));
    expect(error.code).toBe('AL_ERR_CHECKPOINT_MISMATCH');
    expect(error.message).toBe(
      'Error(s) in loading state_dict for Recognizer2D:\n' +
        '\tsize mismatch for cls_head.fc_cls.weight: copying a param with shape [101, 1280] from checkpoint, the shape in current model is [400, 1280].\n' +
        '\tsize mismatch for cls_head.fc_cls.bias: copying a param with shape [101] from checkpoint, the shape in current model is [400].',
    );
  });

  it('lists every kind of problem at once', () => {
    const all = [...entries.filter((e) => e.key !== dropped).map((e) => (e.key === resized ? { ...e, shape: [400, 1281] } : e)), extra];
    const error = mismatchOf(writeGoldenCheckpoint(all));
    expect(error.message.split('\n')).toEqual([
      'Error(s) in loading state_dict for Recognizer2D:',
      `\tMissing key(s) in state_dict: "${dropped}". `,
      `\tUnexpected key(s) in state_dict: "${extra.key}". `,
      `\tsize mismatch for ${resized}: copying a param with shape [400, 1281] from checkpoint, the shape in current model is [400, 1280].`,
    ]);
  });

  it('refuses a spec without the mmaction2 block, naming what to add', () => {
    const { mmaction2: _, ...bare } = spec;
    expect(() => convertMmaction2Checkpoint(writeGoldenCheckpoint(entries), bare)).toThrow(/has no 'mmaction2' block/);
  });
});
