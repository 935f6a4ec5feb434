// Torch values the reader materialises: dtypes, storage references and tensors.
// All data is little-endian (the only byte order torch writes on x86/ARM; big-endian files are rejected).

export type TorchDtype = 'float64' | 'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** Contiguous element data: float16/bfloat16 are decoded to Float32Array, int64 stays BigInt64Array. */
export type TensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

interface DtypeInfo {
  readonly itemSize: number;
  /** Python names that denote this dtype: `torch.<alias>` and the legacy `torch.<Storage>` class. */
  readonly storageClass: string;
  readonly aliases: readonly string[];
}

export const TORCH_DTYPES: Readonly<Record<TorchDtype, DtypeInfo>> = {
  float64: { itemSize: 8, storageClass: 'DoubleStorage', aliases: ['float64', 'double'] },
  float32: { itemSize: 4, storageClass: 'FloatStorage', aliases: ['float32', 'float'] },
  float16: { itemSize: 2, storageClass: 'HalfStorage', aliases: ['float16', 'half'] },
  bfloat16: { itemSize: 2, storageClass: 'BFloat16Storage', aliases: ['bfloat16'] },
  int64: { itemSize: 8, storageClass: 'LongStorage', aliases: ['int64', 'long'] },
  int32: { itemSize: 4, storageClass: 'IntStorage', aliases: ['int32', 'int'] },
  int16: { itemSize: 2, storageClass: 'ShortStorage', aliases: ['int16', 'short'] },
  int8: { itemSize: 1, storageClass: 'CharStorage', aliases: ['int8'] },
  uint8: { itemSize: 1, storageClass: 'ByteStorage', aliases: ['uint8'] },
  bool: { itemSize: 1, storageClass: 'BoolStorage', aliases: ['bool'] },
};

/** `torch.float32` and friends, when a pickle names a dtype object. */
export interface TorchDtypeValue {
  readonly kind: 'torch-dtype';
  readonly dtype: TorchDtype;
}

/** `torch.FloatStorage` etc. (the class object); UntypedStorage reads as uint8 bytes. */
export interface TorchStorageType {
  readonly kind: 'storage-type';
  readonly name: string;
  readonly dtype: TorchDtype;
}

/** A storage named by a persistent id: `key` finds its bytes in the file. */
export interface TorchStorageRef {
  readonly kind: 'storage';
  readonly key: string;
  readonly dtype: TorchDtype;
  /** Element count declared in the pickle (checked against the bytes in the file). */
  readonly numel: number;
  readonly location: string;
  /** Element offset into the root storage (legacy storage views only, else 0). */
  readonly viewOffset: number;
}

export interface TorchTensor {
  readonly kind: 'tensor';
  /** dtype of the stored data (float16/bfloat16 data is decoded to Float32Array). */
  readonly dtype: TorchDtype;
  readonly shape: readonly number[];
  /** Strides of the stored view, in elements; `data` itself is always contiguous C order. */
  readonly stride: readonly number[];
  readonly storageKey: string;
  readonly storageOffset: number;
  requiresGrad: boolean;
  isParameter: boolean;
  /**
   * Contiguous values in C order. When the stored view is already contiguous, aligned and needs no
   * decoding, this is a view into the checkpoint bytes (no copy): copy it before mutating.
   */
  data: TensorData;
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

const BY_STORAGE_CLASS = new Map(Object.entries(TORCH_DTYPES).map(([dtype, info]) => [info.storageClass, dtype as TorchDtype]));
const BY_ALIAS = new Map(Object.entries(TORCH_DTYPES).flatMap(([dtype, info]) => info.aliases.map((a) => [a, dtype as TorchDtype] as const)));

export function dtypeOfStorageClass(name: string): TorchDtype | undefined {
  if (name === 'UntypedStorage') return 'uint8';
  return BY_STORAGE_CLASS.get(name);
}

export function dtypeOfAlias(name: string): TorchDtype | undefined {
  return BY_ALIAS.get(name);
}
