// The zip container torch.save writes (torch >= 1.6): every record STORED (uncompressed) and
// 64-byte aligned. Sizes come from the central directory, because torch sets bit 3 and leaves the
// local headers' sizes zero; zip64 fields are honoured for records over 4 GiB.
import { ByteReader } from './byte-reader.js';
import { invalidCheckpoint } from './checkpoint-error.js';
import { crc32 } from './crc32.js';
import { py2StringDecode } from './pickle-text.js';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_ID = 0x0001;
const EOCD_SIZE = 22;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
const STORED = 0;

export interface ZipEntry {
  readonly name: string;
  /** 0 = stored; anything else is compressed and refused when read. */
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly headerOffset: number;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Lists the central directory (in file order). */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const file = new ByteReader(bytes, 'zip');
  const eocd = findEndOfCentralDirectory(bytes);
  file.offset = eocd + 10;
  let count = file.u16('entry count');
  let size = file.u32('central directory size');
  let offset = file.u32('central directory offset');
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) ({ count, size, offset } = readZip64End(file, eocd));
  if (offset + size > eocd || count * CENTRAL_HEADER_SIZE > size) {
    throw invalidCheckpoint(`zip: the central directory (${count} entries, ${size} bytes at offset ${offset}) does not fit before its end record at ${eocd}.`);
  }
  const dir = new ByteReader(bytes, 'zip central directory', offset, offset + size);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(readCentralHeader(dir));
  return entries;
}

/** The bytes of a stored entry (a view, no copy), after checking method, bounds and optionally CRC-32. */
export function zipEntryData(bytes: Uint8Array, entry: ZipEntry, verifyCrc: boolean): Uint8Array {
  if (entry.flags & 1) throw invalidCheckpoint(`zip: entry '${entry.name}' is encrypted; checkpoints are never encrypted.`);
  if (entry.method !== STORED) {
    throw invalidCheckpoint(
      `zip: entry '${entry.name}' is compressed (method ${entry.method}); torch.save writes stored (method 0) entries only.`,
      'The archive was re-zipped with compression: extract it and save again with torch.save, or re-zip with `zip -0`.',
    );
  }
  if (entry.compressedSize !== entry.size) {
    throw invalidCheckpoint(`zip: stored entry '${entry.name}' declares ${entry.compressedSize} stored bytes but ${entry.size} uncompressed bytes.`);
  }
  const local = new ByteReader(bytes, `zip local header of '${entry.name}'`, entry.headerOffset);
  if (local.u32('signature') !== LOCAL_SIGNATURE) throw invalidCheckpoint(`zip: no local header for '${entry.name}' at offset ${entry.headerOffset}.`);
  local.offset = entry.headerOffset + 26;
  const nameLength = local.u16('name length');
  const extraLength = local.u16('extra length');
  local.offset = entry.headerOffset + LOCAL_HEADER_SIZE + nameLength + extraLength;
  const data = local.take(entry.size, `the ${entry.size} bytes of '${entry.name}'`);
  if (verifyCrc && crc32(data) !== entry.crc32) {
    throw invalidCheckpoint(`zip: entry '${entry.name}' fails its CRC-32 check (expected ${entry.crc32.toString(16)}, got ${crc32(data).toString(16)}).`);
  }
  return data;
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - EOCD_SIZE - 0xffff); // the comment is at most 64 KiB
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  throw invalidCheckpoint(`zip: no end-of-central-directory record in the last ${bytes.length - lowest} bytes (the file is truncated).`);
}

function readZip64End(file: ByteReader, eocd: number): { count: number; size: number; offset: number } {
  file.offset = eocd - 20;
  if (eocd < 20 || file.u32('zip64 locator') !== ZIP64_LOCATOR_SIGNATURE) {
    throw invalidCheckpoint('zip: the end record asks for zip64 but there is no zip64 locator before it.');
  }
  file.offset += 4;
  const recordOffset = file.u64('zip64 end record offset');
  file.offset = recordOffset;
  if (file.u32('zip64 end record') !== ZIP64_EOCD_SIGNATURE) throw invalidCheckpoint(`zip: no zip64 end record at offset ${recordOffset}.`);
  file.offset = recordOffset + 32;
  const count = file.u64('zip64 entry count');
  const size = file.u64('zip64 central directory size');
  const offset = file.u64('zip64 central directory offset');
  return { count, size, offset };
}

function readCentralHeader(dir: ByteReader): ZipEntry {
  const start = dir.offset;
  if (dir.u32('central header') !== CENTRAL_SIGNATURE) throw invalidCheckpoint(`zip: bad central directory header at offset ${start}.`);
  dir.offset = start + 8;
  const flags = dir.u16();
  const method = dir.u16();
  dir.offset += 4; // time, date
  const crc = dir.u32();
  let compressedSize = dir.u32();
  let size = dir.u32();
  const nameLength = dir.u16();
  const extraLength = dir.u16();
  const commentLength = dir.u16();
  dir.offset += 8; // disk, internal and external attributes
  let headerOffset = dir.u32();
  const name = py2StringDecode(dir.take(nameLength, 'entry name'));
  const extra = new ByteReader(dir.take(extraLength, 'extra field'), `zip extra field of '${name}'`);
  dir.take(commentLength, 'entry comment');
  while (extra.remaining >= 4) {
    const id = extra.u16();
    const length = extra.u16();
    const fieldEnd = extra.offset + extra.need(length, 'extra field');
    if (id === ZIP64_EXTRA_ID) {
      // Only the fields whose 32-bit slot is saturated are present, in this order.
      if (size === 0xffffffff) size = extra.u64('zip64 size');
      if (compressedSize === 0xffffffff) compressedSize = extra.u64('zip64 compressed size');
      if (headerOffset === 0xffffffff) headerOffset = extra.u64('zip64 header offset');
    }
    extra.offset = fieldEnd;
  }
  return { name, method, flags, crc32: crc, compressedSize, size, headerOffset };
}
