// numpy arrays, dtypes and scalars as inert values. numpy pickles them as
//   _reconstruct(ndarray, (0,), b'b') + BUILD (version, shape, dtype, fortran, rawdata)
//   dtype('f4', False, True) + BUILD (version, byteorder, ...)
//   scalar(dtype, rawbytes)
// and these helpers replay exactly that on plain data.
import { invalidCheckpoint } from './checkpoint-error.js';
import { halfToFloat } from './half-float.js';
import { latin1Encode } from './pickle-text.js';
import { describeValue, isPickleTuple, type PickleValue } from './pickle-values.js';

export type NumpyData =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

export interface NumpyDtype {
  readonly kind: 'npdtype';
  /** numpy type code with size, e.g. 'f4', 'i8', 'b1', 'O8'. */
  readonly name: string;
  /** '<', '>' or '|' (not applicable), set by BUILD. */
  byteOrder: string;
}

export interface NumpyArray {
  readonly kind: 'ndarray';
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  /** Raw element bytes as pickled (empty for object arrays). */
  bytes: Uint8Array;
  /** Decoded values for numeric/bool dtypes (float16 widened to float32); a list for object arrays. */
  data: NumpyData | PickleValue[] | undefined;
}

export interface NumpyScalar {
  readonly kind: 'npscalar';
  readonly dtype: string;
  readonly value: number | bigint | boolean;
  readonly bytes: Uint8Array;
}

export function numpyDtype(args: PickleValue[]): NumpyDtype {
  const name = args[0];
  if (typeof name !== 'string') throw invalidCheckpoint(`numpy.dtype: expected a type code string, got ${describeValue(name)}.`);
  return { kind: 'npdtype', name, byteOrder: '|' };
}

export function setNumpyDtypeState(dtype: NumpyDtype, state: PickleValue): void {
  if (isPickleTuple(state) && typeof state.items[1] === 'string') dtype.byteOrder = state.items[1];
}

/** '<f4', '|b1', '|O' as numpy's `dtype.str` writes it. */
export function dtypeDescr(dtype: NumpyDtype): string {
  if (dtype.name.startsWith('O')) return '|O';
  const order = dtype.byteOrder === '>' ? '>' : itemSizeOf(dtype.name) > 1 ? '<' : '|';
  return order + dtype.name;
}

export function emptyNumpyArray(): NumpyArray {
  return { kind: 'ndarray', dtype: '|u1', shape: [0], fortranOrder: false, bytes: new Uint8Array(0), data: undefined };
}

/** BUILD state: (version, shape, dtype, is_fortran, rawdata). */
export function setNumpyArrayState(array: NumpyArray, state: PickleValue): void {
  if (!isPickleTuple(state) || state.items.length < 5) {
    throw invalidCheckpoint(`numpy.ndarray state: expected a 5-tuple (version, shape, dtype, fortran, data), got ${describeValue(state)}.`);
  }
  const [, shape, dtype, fortran, raw] = state.items;
  if (!isPickleTuple(shape) || !shape.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw invalidCheckpoint(`numpy.ndarray state: shape must be a tuple of non-negative ints, got ${describeValue(shape)}.`);
  }
  if (typeof dtype !== 'object' || dtype === null || !('kind' in dtype) || dtype.kind !== 'npdtype') {
    throw invalidCheckpoint(`numpy.ndarray state: expected a numpy.dtype, got ${describeValue(dtype)}.`);
  }
  array.shape = shape.items as number[];
  array.dtype = dtypeDescr(dtype);
  array.fortranOrder = fortran === true;
  if (Array.isArray(raw)) {
    array.data = raw; // object arrays pickle their elements as a list
    return;
  }
  const bytes = typeof raw === 'string' ? latin1Encode(raw) : raw instanceof Uint8Array ? raw : undefined;
  if (!bytes) throw invalidCheckpoint(`numpy.ndarray state: expected raw bytes, got ${describeValue(raw)}.`);
  const count = array.shape.reduce((a, b) => a * b, 1);
  const itemSize = itemSizeOf(dtype.name);
  if (itemSize > 0 && count * itemSize !== bytes.length) {
    throw invalidCheckpoint(`numpy.ndarray state: shape [${array.shape}] of ${array.dtype} needs ${count * itemSize} bytes, got ${bytes.length}.`);
  }
  array.bytes = bytes;
  array.data = decodeNumeric(dtype.name, dtype.byteOrder === '>', bytes);
}

/** numpy.core.multiarray.scalar(dtype, rawbytes). */
export function numpyScalar(args: PickleValue[]): NumpyScalar {
  const [dtype, raw] = args;
  if (typeof dtype !== 'object' || dtype === null || !('kind' in dtype) || dtype.kind !== 'npdtype') {
    throw invalidCheckpoint(`numpy scalar: expected a numpy.dtype, got ${describeValue(dtype)}.`);
  }
  const bytes = typeof raw === 'string' ? latin1Encode(raw) : raw instanceof Uint8Array ? raw : undefined;
  const data = bytes ? decodeNumeric(dtype.name, dtype.byteOrder === '>', bytes) : undefined;
  if (!bytes || !data || data.length !== 1) {
    throw invalidCheckpoint(`numpy scalar of dtype ${dtypeDescr(dtype)}: expected the bytes of one numeric element, got ${describeValue(raw)}.`);
  }
  const first = data[0]!;
  const value = dtype.name === 'b1' ? first !== 0 : typeof first === 'bigint' && first >= Number.MIN_SAFE_INTEGER && first <= Number.MAX_SAFE_INTEGER ? Number(first) : first;
  return { kind: 'npscalar', dtype: dtypeDescr(dtype), value, bytes };
}

function itemSizeOf(name: string): number {
  const size = Number(name.slice(1));
  return Number.isInteger(size) ? size : 0;
}

type Reader = (view: DataView, offset: number, littleEndian: boolean) => number | bigint;

const NUMERIC: Record<string, { make: (n: number) => NumpyData; read: Reader }> = {
  f2: { make: (n) => new Float32Array(n), read: (v, o, le) => halfToFloat(v.getUint16(o, le)) },
  f4: { make: (n) => new Float32Array(n), read: (v, o, le) => v.getFloat32(o, le) },
  f8: { make: (n) => new Float64Array(n), read: (v, o, le) => v.getFloat64(o, le) },
  i1: { make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o) },
  i2: { make: (n) => new Int16Array(n), read: (v, o, le) => v.getInt16(o, le) },
  i4: { make: (n) => new Int32Array(n), read: (v, o, le) => v.getInt32(o, le) },
  i8: { make: (n) => new BigInt64Array(n), read: (v, o, le) => v.getBigInt64(o, le) },
  u1: { make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
  u2: { make: (n) => new Uint16Array(n), read: (v, o, le) => v.getUint16(o, le) },
  u4: { make: (n) => new Uint32Array(n), read: (v, o, le) => v.getUint32(o, le) },
  u8: { make: (n) => new BigUint64Array(n), read: (v, o, le) => v.getBigUint64(o, le) },
  b1: { make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
};

/** Decodes numeric element bytes (numpy arrays in metadata are small; DataView handles both byte orders). */
function decodeNumeric(name: string, bigEndian: boolean, bytes: Uint8Array): NumpyData | undefined {
  const codec = NUMERIC[name];
  if (!codec) return undefined;
  const itemSize = itemSizeOf(name);
  const count = Math.floor(bytes.length / itemSize);
  const out = codec.make(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) (out as unknown as (number | bigint)[])[i] = codec.read(view, i * itemSize, !bigEndian);
  return out;
}
