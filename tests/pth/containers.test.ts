// Container handling: zip64, archive folder names, byte order, compressed entries, truncation,
// lying sizes and random corruption all give values or a clear AL_ERR_CHECKPOINT_INVALID.
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { extractStateDict, readCheckpoint } from '../../src/models/converters/pth/index.js';
import { readZipDirectory, zipEntryData } from '../../src/models/converters/pth/zip-archive.js';
import { float32Bytes, legacyCheckpoint, zipCheckpoint } from './helpers/checkpoint-writer.js';
import { loadFixture } from './helpers/fixtures.js';
import { PickleWriter, rebuildTensor } from './helpers/pickle-writer.js';
import { writeZip } from './helpers/zip-writer.js';

function invalid(read: () => unknown): ActionLensError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionLensError);
    expect((e as ActionLensError).code).toBe('AL_ERR_CHECKPOINT_INVALID');
    return e as ActionLensError;
  }
  throw new Error('expected AL_ERR_CHECKPOINT_INVALID');
}

/** The fixture's records rewritten under a new archive folder (and options), as torch 2.x would name them. */
function rezipFixture(name: string, prefix: string, options: { zip64?: boolean; deflate?: string } = {}): Uint8Array {
  const { bytes } = loadFixture(name);
  const entries = readZipDirectory(bytes).map((e) => ({
    name: e.name.replace(/^[^/]+\//, `${prefix}/`),
    data: zipEntryData(bytes, e, true),
    deflate: options.deflate !== undefined && e.name.endsWith(options.deflate),
  }));
  return writeZip(entries, { zip64: options.zip64 });
}

function tensorValues(bytes: Uint8Array) {
  const { tensors } = extractStateDict(readCheckpoint(bytes).root);
  return [...tensors].map(([k, t]) => [k, t.dtype, t.shape, Array.from(t.data as ArrayLike<number | bigint>)]);
}

/** A one-tensor checkpoint pickle: state_dict {'w': tensor(storage, offset, size, stride)}. */
function oneTensorPickle(numel: number, offset: number, size: number[], stride: number[], legacy = false): Uint8Array {
  const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().binUnicode('w');
  rebuildTensor(w, { cls: 'FloatStorage', key: '0', numel, legacy }, offset, size, stride);
  return w.setItem().stop().bytes();
}

describe('zip variants', () => {
  const expected = tensorValues(loadFixture('mm_ckpt_zip').bytes);

  it("reads any archive folder name ('archive/' as torch 2.x writes it)", () => {
    expect(tensorValues(rezipFixture('mm_ckpt_zip', 'archive'))).toEqual(expected);
  });

  it('reads sizes and offsets from zip64 extra fields and end records', () => {
    const bytes = rezipFixture('mm_ckpt_zip', 'big_ckpt', { zip64: true });
    const entry = readZipDirectory(bytes).find((e) => e.name === 'big_ckpt/data/0')!;
    expect(entry.size).toBe(432);
    expect(tensorValues(bytes)).toEqual(expected);
  });

  it('accepts a little byteorder record and refuses a big-endian one', () => {
    const pickle = oneTensorPickle(2, 0, [2], [1]);
    const data = float32Bytes([1.5, -2]);
    expect(tensorValues(zipCheckpoint(pickle, [{ key: '0', numel: 2, data }]))).toEqual([['w', 'float32', [2], [1.5, -2]]]);
    const big = writeZip([
      { name: 'archive/data.pkl', data: pickle },
      { name: 'archive/byteorder', data: new TextEncoder().encode('big') },
      { name: 'archive/data/0', data },
    ]);
    expect(invalid(() => readCheckpoint(big)).message).toMatch(/byteorder record says 'big'; only 'little' is supported/);
  });

  it('refuses a compressed (deflated) entry, naming it', () => {
    const bytes = rezipFixture('mm_ckpt_zip', 'archive', { deflate: 'data/0' });
    const e = invalid(() => readCheckpoint(bytes));
    expect(e.message).toMatch(/entry 'archive\/data\/0' is compressed \(method 8\)/);
    expect(e.hint).toMatch(/zip -0/);
  });

  it('refuses a CRC mismatch, unless checking is switched off', () => {
    const bytes = loadFixture('mm_ckpt_zip').bytes.slice();
    const entry = readZipDirectory(bytes).find((e) => e.name.endsWith('data/0'))!;
    const at = zipEntryData(bytes, entry, false).byteOffset;
    bytes[at] ^= 0x01; // flip the lowest mantissa bit of the first weight
    expect(invalid(() => readCheckpoint(bytes)).message).toMatch(/fails its CRC-32 check/);
    expect(readCheckpoint(bytes, { verifyCrc: false }).tensors[0]!.data[0]).not.toBe(readCheckpoint(loadFixture('mm_ckpt_zip').bytes).tensors[0]!.data[0]);
  });

  it('refuses a zip without data.pkl and a storage the pickle names but the zip lacks', () => {
    expect(invalid(() => readCheckpoint(writeZip([{ name: 'x/readme.txt', data: Uint8Array.of(1) }]))).message).toMatch(/no '<archive>\/data.pkl' record/);
    expect(invalid(() => readCheckpoint(zipCheckpoint(oneTensorPickle(2, 0, [2], [1])))).message).toMatch(/no 'archive\/data\/0' record/);
  });
});

describe('truncated and corrupt files', () => {
  it.each(['mm_ckpt_zip', 'mm_ckpt_legacy', 'bare_sd_zip', 'bare_sd_legacy'])('%s cut at many lengths: always a clear error', (name) => {
    const { bytes } = loadFixture(name);
    for (let length = 0; length < bytes.length; length += 61) {
      const e = invalid(() => readCheckpoint(bytes.subarray(0, length)));
      expect(e.message.length).toBeGreaterThan(10);
    }
    invalid(() => readCheckpoint(bytes.subarray(0, bytes.length - 1)));
  });

  it('survives random byte corruption with values or a clear error, never a crash', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (const name of ['mm_ckpt_zip', 'mm_ckpt_legacy']) {
      const { bytes } = loadFixture(name);
      for (let trial = 0; trial < 150; trial++) {
        const copy = bytes.slice();
        for (let k = 0; k < 3; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
        try {
          readCheckpoint(copy);
        } catch (e) {
          expect(e).toBeInstanceOf(ActionLensError);
        }
      }
    }
  });

  it('names what is wrong with a file that is not a checkpoint', () => {
    expect(invalid(() => readCheckpoint(new Uint8Array(0))).message).toMatch(/empty/);
    expect(invalid(() => readCheckpoint(new TextEncoder().encode('{"weights": []}'))).message).toMatch(/starts with bytes 7b 22 77/);
  });
});

describe('huge declared sizes are refused before allocating', () => {
  it('a storage declaring far more elements than its record holds', () => {
    const pickle = oneTensorPickle(2 ** 40, 0, [4], [1]);
    const e = invalid(() => readCheckpoint(zipCheckpoint(pickle, [{ key: '0', numel: 4, data: float32Bytes([1, 2, 3, 4]) }])));
    expect(e.message).toMatch(/declares 1099511627776 float32 elements \(4398046511104 bytes\) but its record holds 16 bytes/);
  });

  it('a tensor view of absurd dims reaching outside its storage', () => {
    const pickle = oneTensorPickle(4, 0, [1_000_000, 1_000_000, 1_000_000], [1_000_000_000_000, 1_000_000, 1]);
    const e = invalid(() => readCheckpoint(zipCheckpoint(pickle, [{ key: '0', numel: 4, data: float32Bytes([1, 2, 3, 4]) }])));
    expect(e.message).toMatch(/reaches element .* of storage '0', which has 4 elements/);
  });

  it('a broadcast (stride 0) view that would expand beyond the cap', () => {
    const pickle = oneTensorPickle(1, 0, [100_000, 100_000], [0, 0]);
    const e = invalid(() => readCheckpoint(zipCheckpoint(pickle, [{ key: '0', numel: 1, data: float32Bytes([1]) }])));
    expect(e.message).toMatch(/larger than the 268435456 elements a broadcast view may expand to/);
  });

  it('a zip entry whose central size runs past the end of the file', () => {
    const bytes = loadFixture('mm_ckpt_zip').bytes.slice();
    const entries = readZipDirectory(bytes);
    const view = new DataView(bytes.buffer);
    // Find data/0's central header and make it claim ~4 GiB.
    const name = new TextEncoder().encode(entries.find((e) => e.name.endsWith('data/0'))!.name);
    for (let at = 0; at < bytes.length - 46; at++) {
      if (view.getUint32(at, true) === 0x02014b50 && view.getUint16(at + 28, true) === name.length && bytes.subarray(at + 46, at + 46 + name.length).every((b, i) => b === name[i])) {
        view.setUint32(at + 20, 0xfffffff0, true);
        view.setUint32(at + 24, 0xfffffff0, true);
      }
    }
    expect(invalid(() => readCheckpoint(bytes, { verifyCrc: false })).message).toMatch(/needs 4294967280 bytes but only \d+ remain/);
  });

  it('a legacy storage whose element count disagrees with the pickle or exceeds the file', () => {
    const pickle = oneTensorPickle(4, 0, [4], [1], true);
    const good = legacyCheckpoint(pickle, [{ key: '0', numel: 4, data: float32Bytes([1, 2, 3, 4]) }]);
    expect(tensorValues(good)).toEqual([['w', 'float32', [4], [1, 2, 3, 4]]]);
    const lying = legacyCheckpoint(pickle, [{ key: '0', numel: 2 ** 50, data: float32Bytes([1, 2, 3, 4]) }]);
    expect(invalid(() => readCheckpoint(lying)).message).toMatch(/holds 1125899906842624 elements but the pickle declares 4/);
    const short = legacyCheckpoint(pickle, [{ key: '0', numel: 4, data: float32Bytes([1, 2]) }]);
    expect(invalid(() => readCheckpoint(short)).message).toMatch(/the data of storage '0' .* needs 16 bytes but only 8 remain/);
  });
});

describe('dtypes and layouts beyond the fixtures', () => {
  it('decodes bfloat16, reads int32/int8/uint8/bool/float64 and materialises a transposed bfloat16 view', () => {
    const bf16 = Uint16Array.from([1, 2, 3, 4, 5, 6].map((v) => new Uint32Array(Float32Array.of(v * 0.5).buffer)[0]! >>> 16));
    const storages = [
      { cls: 'BFloat16Storage', key: '0', data: new Uint8Array(bf16.buffer), numel: 6 },
      { cls: 'IntStorage', key: '1', data: new Uint8Array(Int32Array.of(-7, 2 ** 30).buffer), numel: 2 },
      { cls: 'CharStorage', key: '2', data: new Uint8Array(Int8Array.of(-128, 127).buffer), numel: 2 },
      { cls: 'ByteStorage', key: '3', data: Uint8Array.of(0, 255), numel: 2 },
      { cls: 'BoolStorage', key: '4', data: Uint8Array.of(1, 0), numel: 2 },
      { cls: 'DoubleStorage', key: '5', data: new Uint8Array(Float64Array.of(0.1, -1e300).buffer), numel: 2 },
    ];
    const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce();
    w.binUnicode('bf16_t');
    rebuildTensor(w, storages[0]!, 0, [3, 2], [1, 3]).setItem(); // transpose of [[1,2,3],[4,5,6]]*0.5
    for (const s of storages.slice(1)) {
      w.binUnicode(s.cls);
      rebuildTensor(w, s, 0, [2], [1]).setItem();
    }
    const values = tensorValues(zipCheckpoint(w.stop().bytes(), storages));
    expect(values).toEqual([
      ['bf16_t', 'bfloat16', [3, 2], [0.5, 2, 1, 2.5, 1.5, 3]],
      ['IntStorage', 'int32', [2], [-7, 2 ** 30]],
      ['CharStorage', 'int8', [2], [-128, 127]],
      ['ByteStorage', 'uint8', [2], [0, 255]],
      ['BoolStorage', 'bool', [2], [1, 0]],
      ['DoubleStorage', 'float64', [2], [0.1, -1e300]],
    ]);
  });

  it('copies a contiguous view whose bytes are not aligned for its type (legacy layout)', () => {
    const pickle = oneTensorPickle(3, 1, [2], [1], true);
    const bytes = legacyCheckpoint(pickle, [{ key: '0', numel: 3, data: float32Bytes([9, 8, 7]) }]);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1); // odd byteOffset: no aligned views possible
    shifted.set(bytes);
    expect(tensorValues(shifted)).toEqual([['w', 'float32', [2], [8, 7]]]);
    // A Node Buffer too (what readFile returns): its slice() aliases instead of copying.
    const buffer = Buffer.alloc(bytes.length + 3).subarray(3);
    buffer.set(bytes);
    expect(tensorValues(buffer)).toEqual([['w', 'float32', [2], [8, 7]]]);
  });
});
