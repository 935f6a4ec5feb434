// Architectures ask for their weights by state_dict key and shape, exactly as PyTorch modules own
// them. The same build code therefore yields both the graph and the list of keys the architecture
// expects: strict loading (missing / unexpected / size mismatch) falls out of one code path.

export type BufferDtype = 'int64' | 'float32';

export interface DeclaredEntry {
  key: string;
  shape: number[];
  dtype: 'float32' | BufferDtype;
}

export interface WeightSource {
  /** A float32 parameter or buffer used by the graph (conv weight, bn running_mean, pos_embed...). */
  param(key: string, shape: readonly number[]): Float32Array;
  /**
   * Like param, but the caller may overwrite the array (a conv weight that batch-norm folding scales
   * in place). Sources that own their memory hand it out once; others return a copy. Absent = use
   * param and write the result into a new array.
   */
  scratchParam?(key: string, shape: readonly number[]): Float32Array;
  /** A state_dict entry the graph does not read (num_batches_tracked, index buffers it recomputes). */
  buffer(key: string, shape: readonly number[], dtype: BufferDtype): void;
  /** Every entry requested so far, in request order. */
  declared(): DeclaredEntry[];
}

/** Helper for sources: records requests and refuses a key asked for twice with different shapes. */
export function createDeclarationLog(): {
  record(key: string, shape: readonly number[], dtype: DeclaredEntry['dtype']): void;
  entries(): DeclaredEntry[];
} {
  const seen = new Map<string, DeclaredEntry>();
  return {
    record(key, shape, dtype) {
      const prev = seen.get(key);
      if (prev) {
        if (prev.shape.join(',') !== shape.join(',')) {
          throw new Error(`weight ${key} requested twice with different shapes [${prev.shape}] and [${shape}]`);
        }
        return;
      }
      seen.set(key, { key, shape: [...shape], dtype });
    },
    entries: () => [...seen.values()],
  };
}
