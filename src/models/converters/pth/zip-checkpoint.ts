// torch >= 1.6 checkpoints: a zip holding <archive>/data.pkl (the pickle) and <archive>/data/<key>
// (one raw little-endian record per storage). The archive folder name varies ('archive/' in
// torch 2.x, the file stem in 1.x), so data.pkl is found by shape, not by name.
import { ByteReader } from './byte-reader.js';
import type { Checkpoint, ReadCheckpointOptions, StorageRecord } from './checkpoint-types.js';
import { invalidCheckpoint } from './checkpoint-error.js';
import { latin1Decode } from './pickle-text.js';
import type { PickleValue } from './pickle-values.js';
import { parseStoragePid } from './storage-pid.js';
import { alignStorage, materializeTensor, type PendingTensor } from './torch-tensors.js';
import { TORCH_DTYPES, type TorchStorageRef } from './torch-values.js';
import { unpickle } from './unpickler.js';
import { readZipDirectory, zipEntryData, type ZipEntry } from './zip-archive.js';

export function readZipCheckpoint(bytes: Uint8Array, options: ReadCheckpointOptions = {}): Checkpoint {
  const verifyCrc = options.verifyCrc ?? true;
  const entries = new Map<string, ZipEntry>(readZipDirectory(bytes).map((e) => [e.name, e]));
  const pickleEntry = [...entries.values()].find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (!pickleEntry) {
    const names = [...entries.keys()].slice(0, 5).join(', ');
    throw invalidCheckpoint(`zip: no '<archive>/data.pkl' record (entries: ${names || 'none'}); this zip is not a torch.save checkpoint.`);
  }
  const prefix = pickleEntry.name.slice(0, -'data.pkl'.length);
  checkByteOrder(bytes, entries.get(`${prefix}byteorder`), verifyCrc);

  const storages = new Map<string, StorageRecord>();
  const pendingTensors: PendingTensor[] = [];
  const persistentLoad = (pid: PickleValue): TorchStorageRef => {
    const { dtype, key, location, numel } = parseStoragePid(pid);
    let record = storages.get(key);
    if (!record) {
      const entry = entries.get(`${prefix}data/${key}`);
      if (!entry) throw invalidCheckpoint(`zip: the pickle names storage '${key}' but there is no '${prefix}data/${key}' record.`);
      // Records are 64-byte aligned in the file; aligning here only copies if the caller's buffer is offset oddly.
      record = { key, dtype, numel, bytes: alignStorage(zipEntryData(bytes, entry, verifyCrc), TORCH_DTYPES[dtype].itemSize) };
      storages.set(key, record);
    }
    const needed = numel * TORCH_DTYPES[dtype].itemSize;
    if (needed > record.bytes.length) {
      throw invalidCheckpoint(`zip: storage '${key}' declares ${numel} ${dtype} elements (${needed} bytes) but its record holds ${record.bytes.length} bytes.`);
    }
    return { kind: 'storage', key, dtype, numel, location, viewOffset: 0 };
  };

  const pickle = zipEntryData(bytes, pickleEntry, verifyCrc);
  const { value: root } = unpickle(new ByteReader(pickle, pickleEntry.name), { persistentLoad, context: { pendingTensors } });
  for (const pending of pendingTensors) materializeTensor(pending, storages.get(pending.storage.key)!.bytes);
  return { format: 'zip', root, tensors: pendingTensors.map((p) => p.tensor), storages };
}

/** torch >= 2.1 writes a 'byteorder' record; the reader (like the JS typed arrays it fills) is little-endian only. */
function checkByteOrder(bytes: Uint8Array, entry: ZipEntry | undefined, verifyCrc: boolean): void {
  if (!entry) return; // older files: little-endian by convention
  const order = latin1Decode(zipEntryData(bytes, entry, verifyCrc)).trim();
  if (order !== 'little') {
    throw invalidCheckpoint(`zip: byteorder record says '${order}'; only 'little' is supported.`, 'Re-save the checkpoint on a little-endian machine (x86, ARM).');
  }
}
