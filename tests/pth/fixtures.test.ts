// Every value in every golden fixture (saved by torch 1.13, zip and legacy) must read back exactly.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractStateDict, isPickleDict, readCheckpoint, type PickleDict, type TorchTensor } from '../../src/models/converters/pth/index.js';
import { readZipDirectory, zipEntryData } from '../../src/models/converters/pth/zip-archive.js';
import { crc32 } from '../../src/models/converters/pth/crc32.js';
import { expectTypedJson, FIXTURE_NAMES, hex, loadFixture } from './helpers/fixtures.js';

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  const { bytes, json } = loadFixture(name);
  const checkpoint = readCheckpoint(bytes);
  const root = checkpoint.root as PickleDict;
  const stateDict = (json.top_level_type === 'OrderedDict' ? root : root.entries.get('state_dict')) as PickleDict;

  it('has the format, top-level type and keys', () => {
    expect(bytes.length).toBe(json.size_bytes);
    expect(checkpoint.format).toBe(json.serialization);
    expect(isPickleDict(root)).toBe(true);
    expect(root.ordered).toBe(json.top_level_type === 'OrderedDict');
    expect([...root.entries.keys()]).toEqual(json.top_level_keys);
  });

  it('keeps the state dict order and its _metadata', () => {
    expect(stateDict.ordered).toBe(true);
    expect([...stateDict.entries.keys()]).toEqual(json.state_dict_keys);
    if (json.state_dict_metadata === null) expect(stateDict.attributes.has('_metadata')).toBe(false);
    else expectTypedJson(stateDict.attributes.get('_metadata'), json.state_dict_metadata, '_metadata');
  });

  it('reads every tensor: dtype, shape, stride, offset, storage, flags and exact values', () => {
    expect(checkpoint.tensors.length).toBe(json.tensors.length);
    json.tensors.forEach((expected, i) => {
      const tensor = stateDict.entries.get(expected.key) as TorchTensor;
      expect(checkpoint.tensors[i], `tensor ${i} is the ${expected.key} object`).toBe(tensor);
      expect(tensor.kind).toBe('tensor');
      expect(tensor.dtype, expected.key).toBe(expected.dtype);
      expect(tensor.shape, expected.key).toEqual(expected.shape);
      expect(tensor.stride, expected.key).toEqual(expected.stride);
      expect(tensor.storageOffset, expected.key).toBe(expected.storage_offset);
      expect(tensor.storageKey, expected.key).toBe(expected.storage_key);
      expect(tensor.requiresGrad, expected.key).toBe(expected.requires_grad);
      expect(tensor.isParameter, expected.key).toBe(expected.is_parameter);
      expect(tensor.data.length, expected.key).toBe(expected.values.length);
      if (expected.dtype === 'int64') {
        expect(tensor.data).toBeInstanceOf(BigInt64Array);
        expect(Array.from(tensor.data as BigInt64Array), expected.key).toEqual(expected.values.map((v) => BigInt(v)));
      } else {
        expect(tensor.data).toBeInstanceOf(Float32Array); // float16 is decoded, float32 stays
        expect(Array.from(tensor.data as Float32Array), expected.key).toEqual(expected.values);
      }
      const storage = checkpoint.storages.get(expected.storage_key)!;
      expect(storage.numel, expected.key).toBe(expected.storage_numel);
      expect(expected.persistent_id[1]).toBe(expected.storage_class);
    });
  });

  it('reads every storage byte for byte, shared storages once', () => {
    expect(checkpoint.storages.size).toBe(json.storages.length);
    for (const expected of json.storages) {
      const storage = checkpoint.storages.get(expected.key)!;
      expect(storage.dtype).toBe(expected.dtype);
      expect(storage.numel).toBe(expected.numel);
      const used = storage.bytes.subarray(0, expected.nbytes);
      expect(hex(used)).toBe(expected.bytes_hex);
      expect(createHash('sha256').update(used).digest('hex')).toBe(expected.sha256);
      const users = checkpoint.tensors.filter((t) => t.storageKey === expected.key);
      expect(users.map((t) => json.tensors[checkpoint.tensors.indexOf(t)]!.key)).toEqual(expected.shared_by);
    }
  });

  it('strips module. prefixes and finds the state dict', () => {
    const extracted = extractStateDict(checkpoint.root);
    expect(extracted.source).toBe(json.top_level_type === 'OrderedDict' ? 'root' : 'state_dict');
    expect([...extracted.tensors.keys()]).toEqual(json.state_dict_keys.map((k) => k.replace(/^module\./, '')));
    expect([...extracted.tensors.values()]).toEqual(json.state_dict_keys.map((k) => stateDict.entries.get(k)));
  });

  if (json.meta !== undefined) {
    it('reads meta: nested dicts, tuples, big ints, floats, unicode, numpy arrays/scalars, class placeholders', () => {
      expectTypedJson(root.entries.get('meta'), json.meta, 'meta');
    });
  }

  if (json.zip_entries) {
    it('finds every zip record through the central directory', () => {
      const entries = readZipDirectory(bytes);
      expect(entries.map((e) => e.name).sort()).toEqual(json.zip_entries!.map((e) => e.name).sort());
      for (const expected of json.zip_entries!) {
        const entry = entries.find((e) => e.name === expected.name)!;
        expect(entry.size).toBe(expected.size);
        expect(entry.method).toBe(expected.compress_type);
        expect(entry.headerOffset).toBe(expected.header_offset);
        expect(entry.flags).toBe(expected.general_flags);
        expect(entry.crc32).toBe(expected.crc32);
        const data = zipEntryData(bytes, entry, true);
        expect(data.byteOffset - bytes.byteOffset).toBe(expected.data_offset);
        expect(crc32(data)).toBe(expected.crc32);
      }
    });
  }

  if (json.legacy_storage_keys_order) {
    it('reads legacy storages in the order of the trailing key list', () => {
      expect([...checkpoint.storages.keys()]).toEqual(json.legacy_storage_keys_order);
    });
  }
});

describe('zip and legacy agree', () => {
  it.each([
    ['mm_ckpt_zip', 'mm_ckpt_legacy'],
    ['bare_sd_zip', 'bare_sd_legacy'],
  ])('%s and %s hold the same tensors', (zipName, legacyName) => {
    const a = extractStateDict(readCheckpoint(loadFixture(zipName).bytes).root);
    const b = extractStateDict(readCheckpoint(loadFixture(legacyName).bytes).root);
    expect([...a.tensors.keys()]).toEqual([...b.tensors.keys()]);
    for (const [key, t] of a.tensors) {
      const u = b.tensors.get(key)!;
      expect([u.dtype, u.shape, Array.from(u.data as ArrayLike<number | bigint>)]).toEqual([t.dtype, t.shape, Array.from(t.data as ArrayLike<number | bigint>)]);
    }
  });

  it.each(['mm_ckpt_zip', 'mm_ckpt_legacy'])('%s: contiguous views of one storage share memory, like torch', (name) => {
    const { tensors } = extractStateDict(readCheckpoint(loadFixture(name).bytes).root);
    const a = tensors.get('shared.a')!;
    const b = tensors.get('shared.b')!;
    expect(a.data.buffer).toBe(b.data.buffer);
    expect(b.data.byteOffset - a.data.byteOffset).toBe(8 * 4); // shared.b starts at element 8
  });
});
