// Test helper: writes zip archives the way torch.save does (stored, 64-byte aligned records,
// sizes in the central directory), with switches for the cases the reader must handle or refuse.
// Not product code.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../../src/models/converters/pth/crc32.js';

export interface ZipInput {
  name: string;
  data: Uint8Array;
  /** Write this entry deflate-compressed (method 8). */
  deflate?: boolean;
}

export interface ZipOptions {
  /** Write zip64 extra fields and end records, as torch does for files over 4 GiB. */
  zip64?: boolean;
}

export function writeZip(entries: ZipInput[], options: ZipOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => { chunks.push(b); offset += b.length; };
  const central: Uint8Array[] = [];
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const payload = entry.deflate ? new Uint8Array(deflateRawSync(entry.data)) : entry.data;
    const crc = crc32(entry.data);
    const headerOffset = offset;
    // Pad the local extra field so the data starts 64-byte aligned, like torch's 'FB' field.
    const base = headerOffset + 30 + name.length + 4;
    const pad = (64 - (base % 64)) % 64;
    const local = new DataView(new ArrayBuffer(30 + name.length + 4 + pad));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0808, true);
    local.setUint16(8, entry.deflate ? 8 : 0, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 4 + pad, true);
    new Uint8Array(local.buffer).set(name, 30);
    local.setUint16(30 + name.length, 0x4246, true);
    local.setUint16(32 + name.length, pad, true);
    push(new Uint8Array(local.buffer));
    push(payload);
    const z64 = options.zip64 === true;
    const extra = new DataView(new ArrayBuffer(z64 ? 4 + 24 : 0));
    if (z64) {
      extra.setUint16(0, 0x0001, true);
      extra.setUint16(2, 24, true);
      extra.setBigUint64(4, BigInt(entry.data.length), true);
      extra.setBigUint64(12, BigInt(payload.length), true);
      extra.setBigUint64(20, BigInt(headerOffset), true);
    }
    const c = new DataView(new ArrayBuffer(46 + name.length + extra.byteLength));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 45, true);
    c.setUint16(6, 45, true);
    c.setUint16(8, 0x0808, true);
    c.setUint16(10, entry.deflate ? 8 : 0, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, z64 ? 0xffffffff : payload.length, true);
    c.setUint32(24, z64 ? 0xffffffff : entry.data.length, true);
    c.setUint16(28, name.length, true);
    c.setUint16(30, extra.byteLength, true);
    c.setUint32(42, z64 ? 0xffffffff : headerOffset, true);
    new Uint8Array(c.buffer).set(name, 46);
    new Uint8Array(c.buffer).set(new Uint8Array(extra.buffer), 46 + name.length);
    central.push(new Uint8Array(c.buffer));
  }
  const cdOffset = offset;
  for (const c of central) push(c);
  const cdSize = offset - cdOffset;
  if (options.zip64) {
    const z64End = new DataView(new ArrayBuffer(56));
    z64End.setUint32(0, 0x06064b50, true);
    z64End.setBigUint64(4, 44n, true);
    z64End.setBigUint64(24, BigInt(entries.length), true);
    z64End.setBigUint64(32, BigInt(entries.length), true);
    z64End.setBigUint64(40, BigInt(cdSize), true);
    z64End.setBigUint64(48, BigInt(cdOffset), true);
    const z64EndOffset = offset;
    push(new Uint8Array(z64End.buffer));
    const locator = new DataView(new ArrayBuffer(20));
    locator.setUint32(0, 0x07064b50, true);
    locator.setBigUint64(8, BigInt(z64EndOffset), true);
    locator.setUint32(16, 1, true);
    push(new Uint8Array(locator.buffer));
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, options.zip64 ? 0xffff : entries.length, true);
  end.setUint16(10, options.zip64 ? 0xffff : entries.length, true);
  end.setUint32(12, options.zip64 ? 0xffffffff : cdSize, true);
  end.setUint32(16, options.zip64 ? 0xffffffff : cdOffset, true);
  push(new Uint8Array(end.buffer));
  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
