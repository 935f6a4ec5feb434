// A cursor over bytes that never reads past the end: every read is bounds-checked first, so a
// truncated or lying file gives a clear error instead of garbage or a giant allocation.
import { invalidCheckpoint } from './checkpoint-error.js';
import { latin1Decode } from './pickle-text.js';


export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  offset: number;
  /** Where reads must stop (exclusive). */
  readonly end: number;
  /** Names the thing being read in errors, e.g. 'data.pkl'. */
  readonly what: string;

  constructor(bytes: Uint8Array, what: string, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = start;
    this.end = end;
    this.what = what;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `count` more bytes exist; `count` may be a bigint or a huge number from the file. */
  need(count: number | bigint, purpose: string): number {
    if (typeof count === 'bigint' || count < 0 || count > this.remaining || !Number.isSafeInteger(count)) {
      throw invalidCheckpoint(
        `${this.what}: ${purpose} at offset ${this.offset} needs ${count} bytes but only ${this.remaining} remain (truncated or corrupt).`,
      );
    }
    return count;
  }

  u8(purpose = 'a byte'): number {
    this.need(1, purpose);
    return this.bytes[this.offset++]!;
  }

  u16(purpose = 'a uint16'): number {
    this.need(2, purpose);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  i32(purpose = 'an int32'): number {
    this.need(4, purpose);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }

  u32(purpose = 'a uint32'): number {
    this.need(4, purpose);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** Unsigned 64-bit little-endian; as a number, or an error when it exceeds 2^53. */
  u64(purpose = 'a uint64'): number {
    this.need(8, purpose);
    const v = this.view.getBigUint64(this.offset, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw invalidCheckpoint(`${this.what}: ${purpose} at offset ${this.offset} is ${v}, larger than any real file (max 2^53).`);
    }
    this.offset += 8;
    return Number(v);
  }

  f64be(purpose = 'a float64'): number {
    this.need(8, purpose);
    const v = this.view.getFloat64(this.offset, false);
    this.offset += 8;
    return v;
  }

  /** A view (no copy) of the next `count` bytes. */
  take(count: number | bigint, purpose: string): Uint8Array {
    const n = this.need(count, purpose);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** Bytes up to (not including) the next '\n', which is consumed; for the text opcodes. */
  line(purpose: string): string {
    const nl = this.bytes.indexOf(0x0a, this.offset);
    if (nl < 0 || nl >= this.end) throw invalidCheckpoint(`${this.what}: ${purpose} at offset ${this.offset} has no end of line (truncated).`);
    const text = latin1Decode(this.bytes.subarray(this.offset, nl));
    this.offset = nl + 1;
    return text;
  }
}

