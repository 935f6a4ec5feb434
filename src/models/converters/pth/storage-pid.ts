// The persistent id torch pickles in place of each storage:
//   zip:    ('storage', torch.FloatStorage, key, location, numel)
//   legacy: ('storage', torch.FloatStorage, root_key, location, root_numel, view_metadata)
// where view_metadata is None or (view_key, offset, view_numel) for the pre-1.0 storage views.
import { invalidCheckpoint } from './checkpoint-error.js';
import { describeValue, isPickleTuple, type PickleValue } from './pickle-values.js';
import type { TorchDtype } from './torch-values.js';

export interface StoragePid {
  readonly dtype: TorchDtype;
  readonly key: string;
  readonly location: string;
  readonly numel: number;
  readonly view: { readonly offset: number; readonly numel: number } | undefined;
}

export function parseStoragePid(pid: PickleValue): StoragePid {
  const items = isPickleTuple(pid) ? pid.items : undefined;
  if (!items || items[0] !== 'storage' || items.length < 5) {
    throw invalidCheckpoint(`Persistent id ${describeValue(pid)} is not a storage reference ('storage', type, key, location, numel).`);
  }
  const [, type, key, location, numel, view] = items;
  if (typeof type !== 'object' || type === null || !('kind' in type) || (type.kind !== 'storage-type' && type.kind !== 'torch-dtype')) {
    const name = typeof type === 'object' && type !== null && 'kind' in type && type.kind === 'global' ? `${type.module}.${type.name}` : describeValue(type);
    throw invalidCheckpoint(
      `Storage type '${name}' is not supported (allowed: torch Double/Float/Half/BFloat16/Long/Int/Short/Char/Byte/Bool/UntypedStorage).`,
    );
  }
  if (typeof key !== 'string' || typeof location !== 'string') {
    throw invalidCheckpoint(`Storage reference has key ${describeValue(key)} and location ${describeValue(location)}; both must be strings.`);
  }
  return { dtype: type.dtype, key, location, numel: checkCount(numel, 'numel'), view: parseView(view) };
}

function parseView(view: PickleValue | undefined): StoragePid['view'] {
  if (view === undefined || view === null) return undefined;
  if (!isPickleTuple(view) || view.items.length !== 3) throw invalidCheckpoint(`Storage view metadata must be (key, offset, numel), got ${describeValue(view)}.`);
  return { offset: checkCount(view.items[1], 'view offset'), numel: checkCount(view.items[2], 'view numel') };
}

function checkCount(value: PickleValue | undefined, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidCheckpoint(`Storage '${name}' must be a non-negative int below 2^53, got ${String(value)}.`);
  }
  return value;
}
