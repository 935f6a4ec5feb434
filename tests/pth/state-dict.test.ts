// Checkpoint -> weights: finding the state dict and matching it against a model's expected keys/shapes.
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import {
  assertStateDictMatches,
  extractStateDict,
  matchStateDict,
  readCheckpoint,
  type ExpectedWeight,
} from '../../src/models/converters/pth/index.js';
import { float32Bytes, zipCheckpoint } from './helpers/checkpoint-writer.js';
import { loadFixture } from './helpers/fixtures.js';
import { PickleWriter, rebuildTensor } from './helpers/pickle-writer.js';

const mm = loadFixture('mm_ckpt_zip');
/** The model the mm fixture was saved from: its keys and shapes, straight from the fixture JSON. */
const mmExpected: ExpectedWeight[] = mm.json.tensors.map((t) => ({ key: t.key, shape: t.shape }));

describe('extractStateDict', () => {
  it('takes state_dict out of an OpenMMLab {meta, state_dict} checkpoint, with its _metadata', () => {
    const sd = extractStateDict(readCheckpoint(mm.bytes).root);
    expect(sd.source).toBe('state_dict');
    expect([...sd.tensors.keys()]).toEqual(mm.json.state_dict_keys);
    expect(sd.metadata).toBeDefined();
  });

  it("strips 'module.' from a bare DataParallel state dict", () => {
    const sd = extractStateDict(readCheckpoint(loadFixture('bare_sd_legacy').bytes).root);
    expect(sd.source).toBe('root');
    expect([...sd.tensors.keys()]).toEqual(['backbone.conv.weight', 'backbone.fc.weight', 'backbone.pos_embed', 'backbone.nbt', 'param']);
    expect(sd.metadata).toBeUndefined();
  });

  it("finds {'model': ...} and refuses a key present with and without 'module.'", () => {
    const build = (keys: string[], container?: string) => {
      const w = new PickleWriter().proto(2);
      if (container) w.emptyDict().binUnicode(container);
      w.global('collections', 'OrderedDict').emptyTuple().reduce();
      for (const key of keys) {
        w.binUnicode(key);
        rebuildTensor(w, { cls: 'FloatStorage', key: '0', numel: 1 }, 0, [1], [1]).setItem();
      }
      if (container) w.setItem();
      return readCheckpoint(zipCheckpoint(w.stop().bytes(), [{ key: '0', numel: 1, data: float32Bytes([3]) }])).root;
    };
    const sd = extractStateDict(build(['module.fc.bias'], 'model'));
    expect(sd.source).toBe('model');
    expect([...sd.tensors.keys()]).toEqual(['fc.bias']);
    expect(() => extractStateDict(build(['fc.bias', 'module.fc.bias']))).toThrow(/both 'fc.bias' and 'module.fc.bias'/);
  });

  it('says which top-level keys it found when there is no state dict', () => {
    const root = readCheckpoint(zipCheckpoint(new PickleWriter().proto(2).emptyDict().binUnicode('epoch').binInt1(3).setItem().stop().bytes())).root;
    expect(() => extractStateDict(root)).toThrow(/top-level keys are epoch; expected 'state_dict', 'model' or tensors/);
  });
});

describe('matchStateDict', () => {
  const got = extractStateDict(readCheckpoint(mm.bytes).root);

  it('accepts the exact keys and shapes', () => {
    const match = matchStateDict(mmExpected, got);
    expect(match).toEqual({ ok: true, missing: [], unexpected: [], sizeMismatches: [] });
    expect(() => assertStateDictMatches(mmExpected, got, 'Recognizer2D')).not.toThrow();
  });

  it('reports missing, unexpected and size mismatches in PyTorch strict load_state_dict wording', () => {
    const expected: ExpectedWeight[] = [
      ...mmExpected.filter((e) => e.key !== 'backbone.scale' && e.key !== 'offset.t').map((e) => (e.key === 'cls_head.fc_cls.bias' ? { key: e.key, shape: [400] } : e)),
      { key: 'cls_head.fc_cls.weight', shape: [400, 3] },
    ];
    const match = matchStateDict(expected, got);
    expect(match.missing).toEqual(['cls_head.fc_cls.weight']);
    expect(match.unexpected).toEqual(['backbone.scale', 'offset.t']);
    expect(match.sizeMismatches).toEqual([{ key: 'cls_head.fc_cls.bias', checkpointShape: [3], modelShape: [400] }]);
    let error: unknown;
    try {
      assertStateDictMatches(expected, got, 'Recognizer2D');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionLensError);
    expect((error as ActionLensError).code).toBe('AL_ERR_CHECKPOINT_MISMATCH');
    expect((error as ActionLensError).message).toBe(
      'Error(s) in loading state_dict for Recognizer2D:\n' +
        '\tMissing key(s) in state_dict: "cls_head.fc_cls.weight". \n' +
        '\tUnexpected key(s) in state_dict: "backbone.scale", "offset.t". \n' +
        '\tsize mismatch for cls_head.fc_cls.bias: copying a param with shape [3] from checkpoint, the shape in current model is [400].',
    );
  });

  it('treats a 0-d tensor and a [1] tensor as different shapes', () => {
    const expected = mmExpected.map((e) => (e.key === 'backbone.scale' ? { key: e.key, shape: [1] } : e));
    expect(matchStateDict(expected, got).sizeMismatches).toEqual([{ key: 'backbone.scale', checkpointShape: [], modelShape: [1] }]);
  });

  it('cuts very long key lists in the message but keeps them all in the report', () => {
    const expected = Array.from({ length: 30 }, (_, i) => ({ key: `layer${i}.weight`, shape: [1] }));
    const match = matchStateDict(expected, new Map());
    expect(match.missing).toHaveLength(30);
    expect(() => assertStateDictMatches(expected, new Map(), 'M')).toThrow(/"layer19.weight", \.\.\. \(10 more\)\. /);
  });
});
