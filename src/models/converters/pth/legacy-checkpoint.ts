// Pre-1.6 checkpoints (`_use_new_zipfile_serialization=False`): a stream of pickles
//   magic number, protocol version, sys_info, the object (storages as persistent ids),
//   the list of storage keys, then each storage raw: int64 LE element count + the bytes,
// in the order of that key list.
import { ByteReader } from './byte-reader.js';
import type { Checkpoint, StorageRecord } from './checkpoint-types.js';
import { invalidCheckpoint } from './checkpoint-error.js';
import { describeValue, dictGet, isPickleDict, isPickleTuple, type PickleValue } from './pickle-values.js';
import { parseStoragePid } from './storage-pid.js';
import { alignStorage, materializeTensor, type PendingTensor } from './torch-tensors.js';
import { TORCH_DTYPES, type TorchDtype, type TorchStorageRef } from './torch-values.js';
import { unpickle } from './unpickler.js';

const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

export function readLegacyCheckpoint(bytes: Uint8Array): Checkpoint {
  const reader = new ByteReader(bytes, 'legacy checkpoint');
  const pendingTensors: PendingTensor[] = [];
  const context = { pendingTensors };
  const next = (what: string, persistentLoad?: (pid: PickleValue) => PickleValue): PickleValue => {
    const start = reader.offset;
    const sub = new ByteReader(bytes, `legacy checkpoint (${what} pickle at offset ${start})`, start);
    const { value, end } = unpickle(sub, { context, persistentLoad });
    reader.offset = end;
    return value;
  };

  const magic = next('magic number');
  if (magic !== MAGIC_NUMBER) throw invalidCheckpoint(`Legacy checkpoint: the first pickle is ${describeValue(magic)}, not torch's magic number; not a PyTorch file.`);
  const protocol = next('protocol version');
  if (protocol !== PROTOCOL_VERSION) throw invalidCheckpoint(`Legacy checkpoint: protocol version ${String(protocol)} is not supported (allowed: ${PROTOCOL_VERSION}).`);
  const sysInfo = next('sys_info');
  if (isPickleDict(sysInfo) && dictGet(sysInfo, 'little_endian') === false) {
    throw invalidCheckpoint('Legacy checkpoint was saved on a big-endian machine; only little-endian is supported.', 'Re-save it on a little-endian machine (x86, ARM).');
  }

  const roots = new Map<string, { dtype: TorchDtype; numel: number }>();
  const persistentLoad = (pid: PickleValue): PickleValue => {
    if (isPickleTuple(pid) && pid.items[0] === 'module') return pid.items[1] ?? null; // saved nn.Module class: keep the inert reference
    const { dtype, key, location, numel, view } = parseStoragePid(pid);
    const known = roots.get(key);
    if (known && (known.dtype !== dtype || known.numel !== numel)) {
      throw invalidCheckpoint(`Legacy checkpoint: storage '${key}' is declared both as ${known.numel} ${known.dtype} and ${numel} ${dtype} elements.`);
    }
    roots.set(key, { dtype, numel });
    if (view && view.offset + view.numel > numel) {
      throw invalidCheckpoint(`Legacy checkpoint: storage view [${view.offset}, ${view.offset + view.numel}) lies outside storage '${key}' of ${numel} elements.`);
    }
    const ref: TorchStorageRef = { kind: 'storage', key, dtype, numel: view ? view.numel : numel, location, viewOffset: view ? view.offset : 0 };
    return ref;
  };
  const root = next('object', persistentLoad);
  const keys = next('storage keys');
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw invalidCheckpoint(`Legacy checkpoint: the storage key list is ${describeValue(keys)}, not a list of strings.`);
  }

  const storages = new Map<string, StorageRecord>();
  for (const key of keys as string[]) {
    const declared = roots.get(key);
    if (!declared) throw invalidCheckpoint(`Legacy checkpoint: storage '${key}' has data but the pickle never references it.`);
    const count = reader.u64(`element count of storage '${key}'`);
    if (count !== declared.numel) {
      throw invalidCheckpoint(`Legacy checkpoint: storage '${key}' holds ${count} elements but the pickle declares ${declared.numel}.`);
    }
    const itemSize = TORCH_DTYPES[declared.dtype].itemSize;
    // Legacy records sit at arbitrary offsets: align (copy) once per storage so its views share memory.
    const data = alignStorage(reader.take(count * itemSize, `the data of storage '${key}'`), itemSize);
    storages.set(key, { key, dtype: declared.dtype, numel: count, bytes: data });
  }
  for (const pending of pendingTensors) {
    const record = storages.get(pending.storage.key);
    if (!record) throw invalidCheckpoint(`Legacy checkpoint: storage '${pending.storage.key}' is referenced by a tensor but its data is missing.`);
    materializeTensor(pending, record.bytes);
  }
  return { format: 'legacy', root, tensors: pendingTensors.map((p) => p.tensor), storages };
}
