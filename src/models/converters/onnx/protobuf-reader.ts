// A minimal protobuf decoder, the inverse of protobuf-writer.ts: tags, varints (64-bit ones as
// bigint), fixed32/fixed64, length-delimited fields and packed or unpacked repeated scalars.
// Nested messages and byte fields are views into the input (no copies), every read is
// bounds-checked, and unknown fields of any wire type can be skipped. Platform-free.
import { ActionLensError } from '../../../core/errors.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ProtoReader {
  /** Absolute position in `buf`; sub-readers share the same array and stop at their own `end`. */
  private pos: number;
  private readonly view: DataView;
  /** Field number and wire type of the tag read last by next(). */
  field = 0;
  wire = 0;

  /** `what` names the message in errors, e.g. 'ONNX model > graph > node'. */
  constructor(
    private readonly buf: Uint8Array,
    readonly what: string,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(problem: string): ActionLensError {
    return new ActionLensError('AL_ERR_CONVERSION_FAILED', `${this.what}: ${problem} at byte ${this.pos}; the file is truncated or not a valid protobuf/ONNX file.`, {
      hint: 'Re-export or re-download the model; a partly written or corrupted file cannot be read.',
    });
  }

  /** Reads the next tag into field/wire; false at the end of this message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const tag = this.uint('field tag');
    this.field = Math.floor(tag / 8);
    this.wire = tag % 8;
    if (this.field === 0 || this.wire > WIRE_FIXED32) throw this.fail(`invalid tag ${tag} (field ${this.field}, wire type ${this.wire})`);
    return true;
  }

  /** Throws unless the current field has the wire type its schema says. */
  private expectWire(wire: number): void {
    if (this.wire !== wire) {
      throw this.fail(`field ${this.field} has wire type ${WIRE_NAMES[this.wire]}, expected ${WIRE_NAMES[wire]}`);
    }
  }

  private need(count: number, purpose: string): void {
    if (count > this.end - this.pos) throw this.fail(`${purpose} needs ${count} bytes but only ${this.end - this.pos} remain`);
  }

  /** A varint as a number when it has at most 7 bytes (49 bits, exact), else as a uint64 bigint. */
  private rawVarint(): number | bigint {
    const start = this.pos;
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.fail('varint runs past the end');
      const b = this.buf[this.pos++]!;
      if (i < 7) n += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        if (i < 7) return n;
        let v = 0n;
        for (let j = this.pos - 1; j >= start; j--) v = (v << 7n) | BigInt(this.buf[j]! & 0x7f);
        return BigInt.asUintN(64, v);
      }
    }
    this.pos = start;
    throw this.fail('varint longer than 10 bytes');
  }

  /** A varint that must be a non-negative safe integer (tags, lengths, counts). */
  private uint(purpose: string): number {
    const v = this.rawVarint();
    if (typeof v === 'number') return v;
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    throw this.fail(`${purpose} ${v} is too large`);
  }

  /** An int64/int32/enum varint field: a number when it is a safe integer, else a bigint. */
  int(): number | bigint {
    this.expectWire(WIRE_VARINT);
    return this.signed();
  }

  private signed(): number | bigint {
    const raw = this.rawVarint();
    if (typeof raw === 'number') return raw;
    const v = BigInt.asIntN(64, raw);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** An int field that must fit a safe integer (sizes, versions, enum values). */
  safeInt(purpose: string): number {
    const v = this.int();
    if (typeof v === 'bigint') throw this.fail(`${purpose} ${v} is out of range`);
    return v;
  }

  float(): number {
    this.expectWire(WIRE_FIXED32);
    this.need(4, 'a float');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A length-delimited field as a view into the input (not a copy). */
  bytes(): Uint8Array {
    this.expectWire(WIRE_LENGTH_DELIMITED);
    return this.lengthDelimited();
  }

  private lengthDelimited(): Uint8Array {
    const length = this.uint('length');
    this.need(length, 'a length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(): string {
    const b = this.bytes();
    try {
      return utf8.decode(b);
    } catch {
      throw this.fail(`field ${this.field} is not valid UTF-8 text`);
    }
  }

  /** A nested message as a reader over its bytes. */
  message(name: string): ProtoReader {
    this.expectWire(WIRE_LENGTH_DELIMITED);
    const length = this.uint('length');
    this.need(length, name);
    const sub = new ProtoReader(this.buf, `${this.what} > ${name}`, this.pos, this.pos + length);
    this.pos += length;
    return sub;
  }

  /** A repeated int64 field, packed (one length-delimited run) or not (one varint per tag). */
  ints(into: (number | bigint)[]): void {
    if (this.wire !== WIRE_LENGTH_DELIMITED) {
      into.push(this.int());
      return;
    }
    const run = this.message('packed ints');
    while (run.pos < run.end) into.push(run.signed());
  }

  /** A repeated float field as little-endian float32 bytes: the packed run, or the single value's 4 bytes. */
  fixed32Bytes(): Uint8Array {
    if (this.wire === WIRE_LENGTH_DELIMITED) {
      const run = this.lengthDelimited();
      if (run.length % 4 !== 0) throw this.fail(`packed floats of ${run.length} bytes are not a multiple of 4`);
      return run;
    }
    this.expectWire(WIRE_FIXED32);
    this.need(4, 'a float');
    this.pos += 4;
    return this.buf.subarray(this.pos - 4, this.pos);
  }

  /** Skips the current field, whatever its wire type (groups included, nested or not). */
  skip(): void {
    switch (this.wire) {
      case WIRE_VARINT: this.rawVarint(); break;
      case WIRE_FIXED64: this.need(8, 'a fixed64'); this.pos += 8; break;
      case WIRE_LENGTH_DELIMITED: this.lengthDelimited(); break;
      case WIRE_FIXED32: this.need(4, 'a fixed32'); this.pos += 4; break;
      case WIRE_START_GROUP: this.skipGroup(this.field); break;
      default: throw this.fail(`unexpected end of group ${this.field}`);
    }
  }

  private skipGroup(group: number): void {
    for (;;) {
      if (!this.next()) throw this.fail(`group ${group} has no end`);
      if (this.wire === WIRE_END_GROUP) {
        if (this.field !== group) throw this.fail(`group ${group} closed by end of group ${this.field}`);
        return;
      }
      this.skip();
    }
  }
}
