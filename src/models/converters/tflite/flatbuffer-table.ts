// A tiny typed view over one flatbuffer table: field i lives at vtable slot 4 + 2*i.
// Bounds are checked so a corrupt file fails with a clear error instead of reading garbage.
import { ByteBuffer } from 'flatbuffers';
import { ActionLensError } from '../../../core/errors.js';

export class FlatTable {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  static root(bytes: Uint8Array): FlatTable {
    const bb = new ByteBuffer(bytes);
    return new FlatTable(bb, checkedOffset(bb, bb.readUint32(0), 'root table'));
  }

  private field(index: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * index);
  }

  has(index: number): boolean {
    return this.field(index) !== 0;
  }

  int32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  uint32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }

  uint64(index: number): bigint {
    const o = this.field(index);
    return o ? this.bb.readUint64(this.pos + o) : 0n;
  }

  int8(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  uint8(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }

  bool(index: number, fallback = false): boolean {
    const o = this.field(index);
    return o ? this.bb.readInt8(this.pos + o) !== 0 : fallback;
  }

  string(index: number): string | undefined {
    const o = this.field(index);
    if (!o) return undefined;
    return this.bb.__string(this.pos + o) as string;
  }

  table(index: number): FlatTable | undefined {
    const o = this.field(index);
    if (!o) return undefined;
    return new FlatTable(this.bb, checkedOffset(this.bb, this.bb.__indirect(this.pos + o), `field ${index}`));
  }

  tables(index: number): FlatTable[] {
    const { start, length } = this.vector(index, 4);
    const out: FlatTable[] = [];
    for (let i = 0; i < length; i++) {
      const at = start + 4 * i;
      out.push(new FlatTable(this.bb, checkedOffset(this.bb, this.bb.__indirect(at), `field ${index}[${i}]`)));
    }
    return out;
  }

  int32s(index: number): Int32Array {
    const { start, length } = this.vector(index, 4);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) out[i] = this.bb.readInt32(start + 4 * i);
    return out;
  }

  float32s(index: number): Float32Array {
    const { start, length } = this.vector(index, 4);
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = this.bb.readFloat32(start + 4 * i);
    return out;
  }

  int64s(index: number): BigInt64Array {
    const { start, length } = this.vector(index, 8);
    const out = new BigInt64Array(length);
    for (let i = 0; i < length; i++) out[i] = this.bb.readInt64(start + 8 * i);
    return out;
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(index: number): Uint8Array {
    const { start, length } = this.vector(index, 1);
    const b = this.bb.bytes();
    return b.subarray(start, start + length);
  }

  private vector(index: number, elementSize: number): { start: number; length: number } {
    const o = this.field(index);
    if (!o) return { start: 0, length: 0 };
    const at = this.pos + o;
    const length = this.bb.__vector_len(at);
    const start = this.bb.__vector(at);
    if (start + length * elementSize > this.bb.capacity()) {
      throw invalid(`vector at field ${index} runs past the end of the file (${length} x ${elementSize} bytes at ${start})`);
    }
    return { start, length };
  }
}

function checkedOffset(bb: ByteBuffer, offset: number, what: string): number {
  if (offset < 0 || offset + 4 > bb.capacity()) {
    throw invalid(`${what} offset ${offset} is outside the file (size ${bb.capacity()})`);
  }
  return offset;
}

export function invalid(message: string): ActionLensError {
  return new ActionLensError('AL_ERR_TFLITE_INVALID', `Not a valid TFLite model: ${message}.`, {
    hint: 'Check that the file is a complete .tflite flatbuffer (re-download it if the sha256 does not match).',
  });
}
