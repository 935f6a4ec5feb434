// Test helper: writes pickle opcodes by hand, so tests can craft exactly the bytes they need
// (malicious globals, every protocol 2-5 opcode, lying sizes). Not product code.
import { OP } from '../../../src/models/converters/pth/pickle-opcodes.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

export class PickleWriter {
  private readonly parts: number[] = [];

  raw(...bytes: number[]): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  private u16(n: number): this {
    return this.raw(n & 0xff, (n >>> 8) & 0xff);
  }
  private u32(n: number): this {
    return this.raw(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  private u64(n: bigint): this {
    for (let i = 0n; i < 8n; i++) this.parts.push(Number((n >> (8n * i)) & 0xffn));
    return this;
  }
  private data(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  private text(s: string): this {
    return this.data(utf8(`${s}\n`));
  }

  proto(n: number) { return this.raw(OP.PROTO, n); }
  stop() { return this.raw(OP.STOP); }
  mark() { return this.raw(OP.MARK); }
  none() { return this.raw(OP.NONE); }
  bool(v: boolean) { return this.raw(v ? OP.NEWTRUE : OP.NEWFALSE); }
  binInt1(n: number) { return this.raw(OP.BININT1, n); }
  binInt2(n: number) { return this.raw(OP.BININT2).u16(n); }
  binInt(n: number) { return this.raw(OP.BININT).u32(n >>> 0); }
  /** BININT when it fits in int32, else LONG1 (as pickle does). */
  int(n: number) { return n >= -(2 ** 31) && n < 2 ** 31 ? this.binInt(n) : this.long(BigInt(n)); }
  /** LONG1/LONG4 from a bigint, two's complement little-endian, minimal length. */
  long(n: bigint, op: 'LONG1' | 'LONG4' = 'LONG1') {
    const bytes: number[] = [];
    let v = n;
    while (v !== 0n && v !== -1n) { bytes.push(Number(v & 0xffn)); v >>= 8n; }
    if (n === 0n) {
      // zero is the empty encoding
    } else if (n > 0n && bytes[bytes.length - 1]! & 0x80) bytes.push(0);
    else if (n < 0n && !(bytes[bytes.length - 1]! & 0x80)) bytes.push(0xff);
    return op === 'LONG1' ? this.raw(OP.LONG1, bytes.length, ...bytes) : this.raw(OP.LONG4).u32(bytes.length).raw(...bytes);
  }
  long4Length(length: number) { return this.raw(OP.LONG4).u32(length); }
  binFloat(x: number) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, false);
    return this.raw(OP.BINFLOAT).data(b);
  }
  binUnicode(s: string) { const b = utf8(s); return this.raw(OP.BINUNICODE).u32(b.length).data(b); }
  shortBinUnicode(s: string) { const b = utf8(s); return this.raw(OP.SHORT_BINUNICODE, b.length).data(b); }
  binUnicode8(s: string) { const b = utf8(s); return this.raw(OP.BINUNICODE8).u64(BigInt(b.length)).data(b); }
  binUnicode8Length(length: bigint) { return this.raw(OP.BINUNICODE8).u64(length); }
  shortBinBytes(b: Uint8Array) { return this.raw(OP.SHORT_BINBYTES, b.length).data(b); }
  binBytes(b: Uint8Array) { return this.raw(OP.BINBYTES).u32(b.length).data(b); }
  binBytes8(b: Uint8Array) { return this.raw(OP.BINBYTES8).u64(BigInt(b.length)).data(b); }
  byteArray8(b: Uint8Array) { return this.raw(OP.BYTEARRAY8).u64(BigInt(b.length)).data(b); }
  shortBinString(s: string) { const b = utf8(s); return this.raw(OP.SHORT_BINSTRING, b.length).data(b); }
  global(module: string, name: string) { return this.raw(OP.GLOBAL).text(module).text(name); }
  stackGlobal(module: string, name: string) { return this.shortBinUnicode(module).shortBinUnicode(name).raw(OP.STACK_GLOBAL); }
  frame(size: number) { return this.raw(OP.FRAME).u64(BigInt(size)); }
  emptyTuple() { return this.raw(OP.EMPTY_TUPLE); }
  tuple() { return this.raw(OP.TUPLE); }
  tupleN(n: 1 | 2 | 3) { return this.raw(OP.TUPLE1 + n - 1); }
  emptyList() { return this.raw(OP.EMPTY_LIST); }
  append() { return this.raw(OP.APPEND); }
  appends() { return this.raw(OP.APPENDS); }
  emptyDict() { return this.raw(OP.EMPTY_DICT); }
  setItem() { return this.raw(OP.SETITEM); }
  setItems() { return this.raw(OP.SETITEMS); }
  emptySet() { return this.raw(OP.EMPTY_SET); }
  addItems() { return this.raw(OP.ADDITEMS); }
  frozenSet() { return this.raw(OP.FROZENSET); }
  reduce() { return this.raw(OP.REDUCE); }
  newObj() { return this.raw(OP.NEWOBJ); }
  newObjEx() { return this.raw(OP.NEWOBJ_EX); }
  build() { return this.raw(OP.BUILD); }
  binPersId() { return this.raw(OP.BINPERSID); }
  memoize() { return this.raw(OP.MEMOIZE); }
  binPut(i: number) { return this.raw(OP.BINPUT, i); }
  binGet(i: number) { return this.raw(OP.BINGET, i); }
  longBinPut(i: number) { return this.raw(OP.LONG_BINPUT).u32(i); }
  longBinGet(i: number) { return this.raw(OP.LONG_BINGET).u32(i); }
  pop() { return this.raw(OP.POP); }
  popMark() { return this.raw(OP.POP_MARK); }
  dup() { return this.raw(OP.DUP); }
  /** Protocol 0 text opcodes. */
  textOp(code: number, line: string) { return this.raw(code).text(line); }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** The persistent id torch writes for a zip-format storage: ('storage', torch.<cls>, key, 'cpu', numel). */
export function storagePid(w: PickleWriter, storageClass: string, key: string, numel: number, legacyView = false): PickleWriter {
  w.mark().binUnicode('storage').global('torch', storageClass).binUnicode(key).binUnicode('cpu').int(numel);
  if (legacyView) w.none();
  return w.tuple().binPersId();
}

/** `_rebuild_tensor_v2(<storage pid>, offset, size, stride, False, OrderedDict())`. */
export function rebuildTensor(
  w: PickleWriter,
  storage: { cls: string; key: string; numel: number; legacy?: boolean },
  offset: number,
  size: number[],
  stride: number[],
): PickleWriter {
  w.global('torch._utils', '_rebuild_tensor_v2').mark();
  storagePid(w, storage.cls, storage.key, storage.numel, storage.legacy);
  w.int(offset);
  w.mark(); for (const d of size) w.int(d); w.tuple();
  w.mark(); for (const s of stride) w.int(s); w.tuple();
  w.bool(false).global('collections', 'OrderedDict').emptyTuple().reduce();
  return w.tuple().reduce();
}
