// The checkpoint source hands float32 weights out without copying them, which is only safe while no
// builder writes into what `param` returns. Both halves are checked here: the views, and every
// family's build leaving its weights untouched (over the golden fixtures' real configs).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureEntries, writeGoldenCheckpoint } from '../../../../tests/zoo/helpers/golden-checkpoint.js';
import { loadFixture, type GoldenFixture } from '../../../../tests/mmaction2/parity-harness.js';
import { extractStateDict, readCheckpoint } from '../pth/index.js';
import { createCheckpointSource } from './checkpoint-source.js';
import { builderFor } from './convert-checkpoint.js';
import { fnv1a32 } from './golden-weights.js';
import { createDeclarationLog, type WeightSource } from './weight-source.js';

const FIXTURE_INDEX = resolve(process.cwd(), '../shared/fixtures/mmaction2/_index.json');

describe('createCheckpointSource', () => {
  const fx = loadFixture('tsm_mobilenetv2_1x1x8');
  const bytes = writeGoldenCheckpoint(fixtureEntries(fx));
  const stateDict = extractStateDict(readCheckpoint(bytes).root);

  it('hands float32 weights out as views of the checkpoint bytes, not copies', () => {
    const source = createCheckpointSource(stateDict);
    const [key, shape] = fx.state_dict.find(([k, s]) => k.endsWith('conv.weight') && s.length === 4)!;
    const weight = source.param(key, shape);
    expect(weight.buffer).toBe(bytes.buffer);
    expect(weight).toBe(stateDict.tensors.get(key)!.data);
  });

  it('scratchParam copies unless the bytes are owned; owned bytes are handed out once, never twice', () => {
    const [key, shape] = fx.state_dict.find(([k, s]) => k.endsWith('conv.weight') && s.length === 4)!;
    const borrowed = createCheckpointSource(stateDict).scratchParam!(key, shape);
    expect(borrowed.buffer).not.toBe(bytes.buffer);
    expect(borrowed).toEqual(stateDict.tensors.get(key)!.data);

    const owned = createCheckpointSource(stateDict, { ownsBytes: true });
    const first = owned.scratchParam!(key, shape);
    expect(first).toBe(stateDict.tensors.get(key)!.data); // the file's own memory
    expect(owned.scratchParam!(key, shape).buffer).not.toBe(bytes.buffer); // asked again: a copy
  });

  it('with owned bytes, a storage shared by two keys is copied for the scratch user', () => {
    // Tied weights: two keys viewing one storage. Folding one in place must not change the other.
    const [keyA, shape] = fx.state_dict.find(([k, s]) => k.endsWith('conv.weight') && s.length === 4)!;
    const a = stateDict.tensors.get(keyA)!;
    const view = new Float32Array(a.data.buffer, a.data.byteOffset + 4 * 2, 4); // overlaps A
    const tied = { ...stateDict, tensors: new Map([[keyA, a], ['tied.weight', { ...a, shape: [4], stride: [1], data: view }]]) };
    const source = createCheckpointSource(tied, { ownsBytes: true });
    expect(source.param('tied.weight', [4])).toBe(view);
    const scratch = source.scratchParam!(keyA, shape);
    expect(scratch.buffer).not.toBe(bytes.buffer);
    scratch.fill(0);
    expect(Array.from(view)).toEqual(Array.from((a.data as Float32Array).subarray(2, 6)));
  });

  it('still serves zeros of the asked shape for a wrong shape, and reports it', () => {
    const source = createCheckpointSource(stateDict);
    const [key, shape] = fx.state_dict.find(([, s]) => s.length === 4)!;
    const wrong = [shape[0]! + 1, ...shape.slice(1)];
    const weight = source.param(key, wrong);
    expect(weight.length).toBe(wrong.reduce((a, b) => a * b, 1));
    expect(weight.every((v) => v === 0)).toBe(true);
    expect(() => source.assertLoadable('Recognizer2D')).toThrow(/size mismatch for/);
  });
});

/** Fills element i of tensor `key` with a value any builder accepts (positive, for variances too). */
const patternValue = (h: number, i: number): number => 0.5 + ((h + i * 7919) % 1009) / 2018;

/** A weight source whose arrays can be re-checked after the build without keeping copies. */
function createPatternSource(): WeightSource & { handedOut: Map<string, Float32Array> } {
  const log = createDeclarationLog();
  const handedOut = new Map<string, Float32Array>();
  return {
    handedOut,
    param(key, shape) {
      log.record(key, shape, 'float32');
      const h = fnv1a32(key);
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = patternValue(h, i);
      handedOut.set(key, data);
      return data;
    },
    buffer(key, shape, dtype) {
      log.record(key, shape, dtype);
    },
    declared: () => log.entries(),
  };
}

function firstChangedElement(key: string, data: Float32Array): number {
  const h = fnv1a32(key);
  for (let i = 0; i < data.length; i++) if (data[i] !== Math.fround(patternValue(h, i))) return i;
  return -1;
}

// One fixture per backbone type: every builder family, with the configs MMAction2 ships.
const fixtures = (JSON.parse(readFileSync(FIXTURE_INDEX, 'utf8')) as { models: { name: string; backbone: string }[] }).models;
const onePerBackbone = [...new Map(fixtures.map((m) => [m.backbone, m.name])).values()];

describe('builders leave the weights they are given untouched', () => {
  it.each(onePerBackbone)('%s', (name) => {
    const fx: GoldenFixture = loadFixture(name);
    const is3d = fx.recognizer === 'Recognizer3D';
    const viewShape = is3d ? fx.input.shape.slice(2) : fx.input.shape.slice(1); // [C, T, H, W] or [segments, C, H, W]
    const source = createPatternSource();
    builderFor(fx.model.backbone.type)(structuredClone(fx.model), source, { viewShape });
    expect(source.handedOut.size).toBeGreaterThan(10);
    const changed = [...source.handedOut].map(([key, data]) => [key, firstChangedElement(key, data)] as const).filter(([, i]) => i >= 0);
    expect(changed).toEqual([]);
  });
});
