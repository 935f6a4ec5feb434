// torch._utils._rebuild_tensor_v2 and friends, replayed on plain data. A tensor is a view
// (offset, shape, stride) into a storage; the reader copies it out as contiguous C-order values
// once the storage bytes are located (legacy files put them after the pickle).
import { invalidCheckpoint } from './checkpoint-error.js';
import { float16Table } from './half-float.js';
import { describeValue, isPickleTuple, type PickleValue } from './pickle-values.js';
import { numelOf, TORCH_DTYPES, type TensorData, type TorchDtype, type TorchStorageRef, type TorchTensor } from './torch-values.js';

/** Broadcast views (stride 0) can be larger than their storage; cap what they may allocate. */
const MAX_EXPANDED_ELEMENTS = 2 ** 28;

/** A built tensor whose `data` is filled by `materializeTensor` once its storage is read. */
export interface PendingTensor {
  readonly tensor: TorchTensor;
  readonly storage: TorchStorageRef;
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, [metadata])`. */
export function rebuildTensor(args: readonly PickleValue[], pending: PendingTensor[], dtypeOverride?: TorchDtype): TorchTensor {
  let storage = args[0];
  if (typeof storage !== 'object' || storage === null || !('kind' in storage) || storage.kind !== 'storage') {
    throw invalidCheckpoint(`_rebuild_tensor: argument 'storage' must be a storage reference, got ${describeValue(storage)}.`);
  }
  if (dtypeOverride && dtypeOverride !== storage.dtype) storage = retypeStorage(storage, dtypeOverride);
  const storageOffset = args[1];
  if (typeof storageOffset !== 'number' || !Number.isSafeInteger(storageOffset) || storageOffset < 0) {
    throw invalidCheckpoint(`_rebuild_tensor: 'storage_offset' must be a non-negative int, got ${String(storageOffset)}.`);
  }
  const shape = intTuple(args[2], 'size');
  const stride = intTuple(args[3], 'stride');
  if (stride.length !== shape.length) {
    throw invalidCheckpoint(`_rebuild_tensor: 'stride' [${stride}] must have one entry per dim of 'size' [${shape}].`);
  }
  checkViewFits(storage, storageOffset, shape, stride);
  const tensor: TorchTensor = {
    kind: 'tensor',
    dtype: storage.dtype,
    shape,
    stride,
    storageKey: storage.key,
    storageOffset,
    requiresGrad: args[4] === true,
    isParameter: false,
    data: new Float32Array(0), // filled by materializeTensor
  };
  pending.push({ tensor, storage });
  return tensor;
}

/** `_rebuild_parameter(data, requires_grad, backward_hooks)` (and `_with_state`): a flagged tensor. */
export function rebuildParameter(args: readonly PickleValue[]): TorchTensor {
  const data = args[0];
  if (typeof data !== 'object' || data === null || !('kind' in data) || data.kind !== 'tensor') {
    throw invalidCheckpoint(`_rebuild_parameter: argument 'data' must be a tensor, got ${describeValue(data)}.`);
  }
  // Same object, flagged: it is already queued for materialisation and may be shared.
  data.requiresGrad = args[1] === true;
  data.isParameter = true;
  return data;
}

function intTuple(value: PickleValue | undefined, name: string): number[] {
  const items = isPickleTuple(value) ? value.items : Array.isArray(value) ? value : undefined;
  if (!items || !items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    const shown = items ? `(${items.map((d) => (typeof d === 'object' ? describeValue(d) : String(d))).join(', ')})` : describeValue(value);
    throw invalidCheckpoint(`_rebuild_tensor: '${name}' must be a tuple of non-negative ints below 2^53, got ${shown}.`);
  }
  return items as number[];
}

/** Rejects views that reach outside their storage before anything is allocated. */
function checkViewFits(storage: TorchStorageRef, offset: number, shape: number[], stride: number[]): void {
  const numel = numelOf(shape);
  if (numel === 0) return;
  let last = offset;
  for (let d = 0; d < shape.length; d++) last += (shape[d]! - 1) * stride[d]!;
  if (!Number.isSafeInteger(last) || last >= storage.numel) {
    throw invalidCheckpoint(
      `Tensor view (offset ${offset}, size [${shape}], stride [${stride}]) reaches element ${last} of storage '${storage.key}', which has ${storage.numel} elements.`,
    );
  }
  if (numel > storage.numel && numel > MAX_EXPANDED_ELEMENTS) {
    throw invalidCheckpoint(`Tensor of size [${shape}] (${numel} elements) is larger than the ${MAX_EXPANDED_ELEMENTS} elements a broadcast view may expand to.`);
  }
}

/** `_rebuild_tensor_v3` passes the dtype separately from an untyped (byte) storage. */
function retypeStorage(storage: TorchStorageRef, dtype: TorchDtype): TorchStorageRef {
  const bytes = storage.numel * TORCH_DTYPES[storage.dtype].itemSize;
  const itemSize = TORCH_DTYPES[dtype].itemSize;
  if (bytes % itemSize !== 0 || (storage.viewOffset * TORCH_DTYPES[storage.dtype].itemSize) % itemSize !== 0) {
    throw invalidCheckpoint(`Storage '${storage.key}' of ${bytes} bytes cannot hold ${dtype} elements of ${itemSize} bytes.`);
  }
  return { ...storage, dtype, numel: bytes / itemSize, viewOffset: (storage.viewOffset * TORCH_DTYPES[storage.dtype].itemSize) / itemSize };
}

const ARRAY_TYPES = {
  float64: Float64Array,
  float32: Float32Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

type StoredArray = Float64Array | Float32Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/**
 * Copies `bytes` to a fresh buffer when its offset is not a multiple of `itemSize` (typed arrays
 * need aligned views). Readers call this once per storage, so views sharing it stay shared.
 */
export function alignStorage(bytes: Uint8Array, itemSize: number): Uint8Array {
  return bytes.byteOffset % itemSize === 0 ? bytes : new Uint8Array(bytes); // new Uint8Array copies; Buffer#slice would alias
}

/**
 * Fills `tensor.data` from the storage's bytes (`storageBytes` holds the root storage).
 * Contiguous views of dtypes that need no decoding are views into `storageBytes` (no copy).
 */
export function materializeTensor({ tensor, storage }: PendingTensor, storageBytes: Uint8Array): void {
  const { itemSize } = TORCH_DTYPES[tensor.dtype];
  const numel = numelOf(tensor.shape);
  const first = storage.viewOffset + tensor.storageOffset;
  const Stored = ARRAY_TYPES[tensor.dtype];
  if (numel === 0) {
    tensor.data = tensor.dtype === 'float16' || tensor.dtype === 'bfloat16' ? new Float32Array(0) : (new Stored(0) as TensorData);
    return;
  }
  const aligned = alignStorage(storageBytes, itemSize);
  const decodes = tensor.dtype === 'float16' || tensor.dtype === 'bfloat16';
  const contiguous = isContiguous(tensor.shape, tensor.stride);
  if (contiguous && !decodes) {
    tensor.data = new Stored(aligned.buffer as ArrayBuffer, aligned.byteOffset + first * itemSize, numel) as TensorData;
    return;
  }
  const source = new Stored(aligned.buffer as ArrayBuffer, aligned.byteOffset, Math.floor(aligned.byteLength / itemSize)) as StoredArray;
  const out = decodes ? new Float32Array(numel) : (new Stored(numel) as StoredArray);
  const convert = elementConverter(tensor.dtype);
  if (contiguous) {
    // Fast path for the common case (a float16 checkpoint): one tight loop, no index bookkeeping.
    for (let k = 0; k < numel; k++) (out as Float32Array)[k] = convert((source as Uint16Array)[first + k]!) as number;
  } else {
    let i = 0;
    forEachElementIndex(tensor.shape, tensor.stride, first, (index) => {
      (out as unknown as (number | bigint)[])[i++] = convert((source as unknown as (number | bigint)[])[index]!);
    });
  }
  tensor.data = out as TensorData;
}

function elementConverter(dtype: TorchDtype): (value: number | bigint) => number | bigint {
  if (dtype === 'float16') {
    const table = float16Table();
    return (bits) => table[bits as number]!;
  }
  if (dtype === 'bfloat16') {
    const u32 = new Uint32Array(1);
    const f32 = new Float32Array(u32.buffer);
    return (bits) => {
      u32[0] = (bits as number) << 16;
      return f32[0]!;
    };
  }
  return (value) => value;
}

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}

/** Calls `visit` with the storage index of every element of the view, in C order. */
function forEachElementIndex(shape: readonly number[], stride: readonly number[], first: number, visit: (index: number) => void): void {
  if (numelOf(shape) === 0) return;
  const rank = shape.length;
  if (rank === 0) return visit(first);
  const counter = new Array<number>(rank).fill(0);
  const innerSize = shape[rank - 1]!;
  const innerStride = stride[rank - 1]!;
  let base = first;
  for (;;) {
    for (let k = 0, index = base; k < innerSize; k++, index += innerStride) visit(index);
    // Advance the odometer over the outer dims.
    let d = rank - 2;
    for (; d >= 0; d--) {
      counter[d]!++;
      base += stride[d]!;
      if (counter[d]! < shape[d]!) break;
      base -= stride[d]! * shape[d]!;
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}
