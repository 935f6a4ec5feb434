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

export function createCheckpointSource(stateDict: StateDict): CheckpointSource {
  const log = createDeclarationLog();
  const { tensors } = stateDict;
  return {
    param(key, shape) {
      log.record(key, shape, 'float32');
      const tensor = tensors.get(key);
      // Reported by assertLoadable; zeros keep the build going so every problem shows at once.
      if (!tensor || !sameShape(tensor.shape, shape)) return new Float32Array(numel(shape));
      return toFloat32(tensor);
    },
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
  // That is safe because builders never write into what `param` returns (batch-norm folding and
  // every other transform write new arrays; checkpoint-source.test.ts checks every family).
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array) return Float32Array.from(data, (v) => Number(v));
  return Float32Array.from(data);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
