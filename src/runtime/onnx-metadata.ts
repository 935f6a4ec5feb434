// The metadata_props of an ONNX model (ModelProto field 14: key/value strings), which ONNX Runtime's
// JS API does not expose. Only the top-level fields are walked; the graph is skipped by its length,
// so this costs a scan of the field headers, not a parse of the model.
import { ActionLensError } from '../core/errors.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
const MODEL_METADATA_PROPS = 14;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

class ProtoCursor {
  pos: number;
  constructor(readonly bytes: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }
  varint(): number {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed(this.pos, 'a varint runs past the end');
      const b = this.bytes[this.pos++]!;
      value += (b & 0x7f) * factor; // multiplication, not shifts: lengths can exceed 2^31
      if (b < 0x80) return value;
      factor *= 128;
    }
    throw malformed(this.pos, 'a varint is longer than 10 bytes');
  }
  /** Skips a field's payload; returns [start, end) of a length-delimited one. */
  skip(wire: number): [number, number] {
    const start = this.pos;
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.pos += 8;
    else if (wire === WIRE_FIXED32) this.pos += 4;
    else if (wire === WIRE_LEN) {
      const length = this.varint();
      const from = this.pos;
      this.pos += length;
      if (this.pos > this.end) throw malformed(from, `a field of ${length} bytes runs past the end`);
      return [from, this.pos];
    } else throw malformed(start, `wire type ${wire} is not one of 0, 1, 2, 5`);
    if (this.pos > this.end) throw malformed(start, 'a field runs past the end');
    return [start, this.pos];
  }
}

function malformed(at: number, why: string): ActionLensError {
  return new ActionLensError('AL_ERR_RUNTIME_INIT', `Not a valid ONNX model: at byte ${at}, ${why}.`, {
    hint: 'Delete the .onnx file so it is converted or downloaded again.',
  });
}

/** metadata_props as a plain record (a later duplicate key wins, as in onnx.helper). */
export function readOnnxMetadata(model: Uint8Array): Record<string, string> {
  const decoder = new TextDecoder();
  const metadata: Record<string, string> = {};
  const top = new ProtoCursor(model, 0, model.length);
  while (top.pos < top.end) {
    const tag = top.varint();
    const [start, end] = top.skip(tag % 8);
    if (Math.floor(tag / 8) !== MODEL_METADATA_PROPS || tag % 8 !== WIRE_LEN) continue;
    const entry = new ProtoCursor(model, start, end);
    let key = '';
    let value = '';
    while (entry.pos < entry.end) {
      const entryTag = entry.varint();
      const [from, to] = entry.skip(entryTag % 8);
      if (entryTag === ((ENTRY_KEY << 3) | WIRE_LEN)) key = decoder.decode(model.subarray(from, to));
      else if (entryTag === ((ENTRY_VALUE << 3) | WIRE_LEN)) value = decoder.decode(model.subarray(from, to));
    }
    metadata[key] = value;
  }
  return metadata;
}
