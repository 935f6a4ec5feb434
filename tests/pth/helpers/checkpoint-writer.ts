// Test helper: wraps a hand-written pickle into a zip or legacy checkpoint, so tests can build
// hostile or unusual files the way torch lays them out. Not product code.
import { PickleWriter } from './pickle-writer.js';
import { writeZip, type ZipOptions } from './zip-writer.js';

export interface RawStorage {
  key: string;
  /** Element count written before legacy data (defaults to data.length / itemSize given by the test). */
  numel: number;
  data: Uint8Array;
}

export function zipCheckpoint(pickle: Uint8Array, storages: RawStorage[] = [], prefix = 'archive', options: ZipOptions = {}): Uint8Array {
  return writeZip(
    [
      { name: `${prefix}/data.pkl`, data: pickle },
      { name: `${prefix}/byteorder`, data: new TextEncoder().encode('little') },
      ...storages.map((s) => ({ name: `${prefix}/data/${s.key}`, data: s.data })),
      { name: `${prefix}/version`, data: new TextEncoder().encode('3\n') },
    ],
    options,
  );
}

export function legacyCheckpoint(pickle: Uint8Array, storages: RawStorage[] = []): Uint8Array {
  const parts: Uint8Array[] = [
    new PickleWriter().proto(2).long(0x1950a86a20f9469cfc6cn).stop().bytes(),
    new PickleWriter().proto(2).binInt2(1001).stop().bytes(),
    new PickleWriter().proto(2).emptyDict().mark().binUnicode('protocol_version').binInt2(1001).binUnicode('little_endian').bool(true).setItems().stop().bytes(),
    pickle,
  ];
  const keys = new PickleWriter().proto(2).emptyList();
  if (storages.length) {
    keys.mark();
    for (const s of storages) keys.binUnicode(s.key);
    keys.appends();
  }
  parts.push(keys.stop().bytes());
  for (const s of storages) {
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigUint64(0, BigInt(s.numel), true);
    parts.push(count, s.data);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export const float32Bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
