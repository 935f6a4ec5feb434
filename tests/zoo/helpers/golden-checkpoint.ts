// Test helper: writes a checkpoint the way MMAction2 saves one (torch zip format, OpenMMLab
// `{meta, state_dict}`, state_dict an OrderedDict), filled with the golden fixtures' deterministic
// weights so the converted ONNX can be compared with the fixture logits. Not product code.
import { zipCheckpoint, type RawStorage } from '../../pth/helpers/checkpoint-writer.js';
import { PickleWriter, rebuildTensor } from '../../pth/helpers/pickle-writer.js';
import { goldenTensor } from '../../../src/models/converters/mmaction2/golden-weights.js';
import type { GoldenFixture } from '../../mmaction2/parity-harness.js';

export interface CheckpointEntry {
  key: string;
  shape: number[];
  dtype: 'float32' | 'int64';
}

export interface CheckpointOptions {
  /** Prefix every key with `module.` as DataParallel/DDP training does. */
  modulePrefix?: boolean;
  /** Write `{state_dict}` inside `{meta, state_dict}` (OpenMMLab), else a bare state dict. */
  openmmlab?: boolean;
}

/** The fixture's state_dict entries (key, shape, dtype), in the module's order. */
export function fixtureEntries(fx: GoldenFixture): CheckpointEntry[] {
  return fx.state_dict.map(([key, shape, dtype]) => ({ key, shape, dtype: dtype === 'int64' ? 'int64' : 'float32' }));
}

export function writeGoldenCheckpoint(entries: readonly CheckpointEntry[], options: CheckpointOptions = {}): Uint8Array {
  const { modulePrefix = false, openmmlab = true } = options;
  const w = new PickleWriter().proto(2);
  if (openmmlab) {
    w.emptyDict().mark();
    w.binUnicode('meta').emptyDict().mark().binUnicode('mmaction2_version').binUnicode('1.2.0').binUnicode('epoch').int(100).setItems();
    w.binUnicode('state_dict');
  }
  w.global('collections', 'OrderedDict').emptyTuple().reduce();
  const storages: RawStorage[] = [];
  entries.forEach((entry, i) => {
    const numel = entry.shape.reduce((n, d) => n * d, 1);
    const key = String(i);
    const data =
      entry.dtype === 'int64'
        ? new Uint8Array(new BigInt64Array(numel).buffer)
        : new Uint8Array(goldenTensor(entry.key, entry.shape).buffer);
    storages.push({ key, numel, data });
    w.binUnicode(modulePrefix ? `module.${entry.key}` : entry.key);
    rebuildTensor(w, { cls: entry.dtype === 'int64' ? 'LongStorage' : 'FloatStorage', key, numel }, 0, entry.shape, contiguousStrides(entry.shape));
    w.setItem();
  });
  if (openmmlab) w.setItems();
  return zipCheckpoint(w.stop().bytes(), storages);
}

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}
