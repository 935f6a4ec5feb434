// A WeightSource over a checkpoint's state dict. It never throws while the graph is being built:
// a missing key or a wrong shape is remembered and served as zeros, so one build lists every
// problem, and `assertLoadable` then reports them all the way PyTorch's strict loading does.
import { assertStateDictMatches, type StateDict, type TensorData, type TorchTensor } from '../pth/index.js';
import { createDeclarationLog, type BufferDtype, type WeightSource } from './weight-source.js';

export interface CheckpointSource extends WeightSource {
  /**
   * Throws AL_ERR_CHECKPOINT_MISMATCH (missing / unexpected keys, size mismatches, in PyTorch's
   * wording) unless the checkpoint holds exactly what the build asked for. Call it after building.
   */
  assertLoadable(modelName: string): void;
}

export interface CheckpointSourceOptions {
  /**
   * The caller hands over the checkpoint's bytes: scratchParam may give out the file's own memory
   * for the builder to overwrite (batch-norm folding in place), so a conversion holds the weights
   * once instead of twice. The bytes are unusable afterwards.
   */
  ownsBytes?: boolean;
}

export function createCheckpointSource(stateDict: StateDict, options: CheckpointSourceOptions = {}): CheckpointSource {
  const log = createDeclarationLog();
  const { tensors } = stateDict;
  const given = createHandedOutRanges();
  const lookup = (key: string, shape: readonly number[], scratch: boolean): Float32Array => {
    log.record(key, shape, 'float32');
    const tensor = tensors.get(key);
    // Reported by assertLoadable; zeros keep the build going so every problem shows at once.
    if (!tensor || !sameShape(tensor.shape, shape)) return new Float32Array(numel(shape));
    const data = toFloat32(tensor);
    if (data !== tensor.data) return data; // converted: already a new array
    // File memory: a scratch user gets it only once, and never memory anyone else has seen.
    const overlaps = given.overlaps(data);
    given.add(data);
    return scratch && (!options.ownsBytes || overlaps) ? data.slice() : data;
  };
  return {
    param: (key, shape) => lookup(key, shape, false),
    scratchParam: (key, shape) => lookup(key, shape, true),
    buffer(key: string, shape: readonly number[], dtype: BufferDtype) {
      log.record(key, shape, dtype);
    },
    declared: () => log.entries(),
    assertLoadable(modelName) {
      assertStateDictMatches(log.entries(), stateDict, modelName);
    },
  };
}

/** PyTorch copies any numeric checkpoint dtype into a float parameter; do the same. */
function toFloat32(tensor: TorchTensor): Float32Array {
  const data: TensorData = tensor.data;
  // float32 is handed out as is, often a view into the file bytes: no copy of a 100 MB checkpoint.
  // That is safe because builders never write into what `param` returns (only into scratchParam's
  // arrays, which are copies unless the caller owns the bytes; checkpoint-source.test.ts checks every family).
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array) return Float32Array.from(data, (v) => Number(v));
  return Float32Array.from(data);
}

/** Byte ranges of the file handed out so far, to spot shared storages and keys asked for twice. */
function createHandedOutRanges() {
  const ranges = new Map<ArrayBufferLike, [number, number][]>();
  return {
    overlaps(a: Float32Array): boolean {
      const end = a.byteOffset + a.byteLength;
      return (ranges.get(a.buffer) ?? []).some(([s, e]) => a.byteOffset < e && s < end);
    },
    add(a: Float32Array): void {
      const list = ranges.get(a.buffer) ?? [];
      list.push([a.byteOffset, a.byteOffset + a.byteLength]);
      ranges.set(a.buffer, list);
    },
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
