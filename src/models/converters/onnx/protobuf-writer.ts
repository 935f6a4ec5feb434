// A minimal protobuf encoder: varints, fixed32 floats, length-delimited fields and packed
// repeated scalars. Enough to write ONNX ModelProto. Nested messages are encoded into their own
// writer and their chunks spliced in (no copy), so weight bytes are copied once, in finish():
// a 100 MB model must not sit in memory three times while it is written.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
const textEncoder = new TextEncoder();

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  /** Field tag: (field number << 3) | wire type. */
  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** Writes a non-negative number or any int64 (negatives as 10-byte two's complement). */
  varint(value: number | bigint): void {
    let v = BigInt(value);
    if (v < 0n) v = BigInt.asUintN(64, v);
    if (v <= 0xffffffffn) {
      let n = Number(v);
      while (n > 0x7f) {
        this.scratch.push((n & 0x7f) | 0x80);
        n = Math.floor(n / 128);
      }
      this.scratch.push(n);
    } else {
      while (v > 0x7fn) {
        this.scratch.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
      }
      this.scratch.push(Number(v));
    }
    if (this.scratch.length > 4096) this.flushScratch();
  }

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    const bytes = Uint8Array.from(this.scratch);
    this.chunks.push(bytes);
    this.length += bytes.length;
    this.scratch = [];
  }

  private raw(bytes: Uint8Array): void {
    this.flushScratch();
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  int(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.raw(b);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.raw(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.splice(field, inner);
  }

  packedInts(field: number, values: readonly (number | bigint)[]): void {
    if (values.length === 0) return;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.splice(field, inner);
  }

  /** Writes `inner` as a length-delimited field by taking over its chunks. */
  private splice(field: number, inner: ProtoWriter): void {
    inner.flushScratch();
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(inner.length);
    this.flushScratch();
    for (const c of inner.chunks) this.chunks.push(c);
    this.length += inner.length;
  }

  packedFloats(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const b = new Uint8Array(4 * values.length);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(4 * i, v, true));
    this.bytes(field, b);
  }

  /** The message as its chunks, in order, without copying them (weights stay where they are). */
  finishChunks(): Uint8Array[] {
    this.flushScratch();
    return [...this.chunks];
  }

  finish(): Uint8Array {
    return concatChunks(this.finishChunks());
  }
}

/** One new contiguous buffer holding `chunks` in order. */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
