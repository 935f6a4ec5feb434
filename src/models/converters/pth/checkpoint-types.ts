import type { PickleValue } from './pickle-values.js';
import type { TorchDtype, TorchTensor } from './torch-values.js';

/** What `readCheckpoint` returns: the unpickled object and every tensor found in it. */
export interface Checkpoint {
  readonly format: 'zip' | 'legacy';
  /** The object torch.save was given (e.g. `{meta, state_dict}` or a bare OrderedDict). */
  readonly root: PickleValue;
  /** Every tensor in pickle order (the same objects that sit inside `root`). */
  readonly tensors: readonly TorchTensor[];
  /** Every storage by key: its dtype, declared element count and raw little-endian bytes (a view). */
  readonly storages: ReadonlyMap<string, StorageRecord>;
}

export interface StorageRecord {
  readonly key: string;
  readonly dtype: TorchDtype;
  readonly numel: number;
  readonly bytes: Uint8Array;
}

export interface ReadCheckpointOptions {
  /** Check the CRC-32 of every zip record (default true; costs ~0.1 s per 100 MB). */
  readonly verifyCrc?: boolean;
}
