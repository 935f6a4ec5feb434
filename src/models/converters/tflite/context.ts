// Conversion state shared by the op converters: which ONNX value holds each TFLite tensor, and
// helpers for the QDQ representation (int8 tensors stay int8 between ops; each op that computes
// dequantizes its inputs, runs in float and quantizes its output, which ONNX Runtime fuses into
// int8 kernels such as QLinearConv / QLinearAdd).
import { ActionLensError } from '../../../core/errors.js';
import type { OnnxDataType, OnnxTensorData } from '../onnx/dtypes.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { sameDims, sameUpToLeadingOnes, withoutLeadingOnes } from './rank.js';
import type { FusedActivation, TfliteModel, TfliteOperator, TfliteTensor } from './schema.js';

export interface ConversionContext {
  readonly g: GraphBuilder;
  readonly model: TfliteModel;
  tensor(index: number): TfliteTensor;
  /** The ONNX value holding tensor `index` in its TFLite storage type (int8 stays int8), in its exact shape. */
  value(index: number): string;
  /**
   * Like value(), but possibly with fewer or more leading 1s than the TFLite shape (see rank.ts), so
   * no Reshape is needed: for elementwise ops only. Its dims are `g.info(name).dims`.
   */
  valueAnyRank(index: number): string;
  /** Records that tensor `index` is held by `name`, whose dims differ from the tensor's only by leading 1s. */
  alias(index: number, name: string): void;
  /** The name for output tensor `index`: its graph output name, or a fresh one from the TFLite name. */
  outputName(index: number): string;
  /** Records that `name` holds tensor `index` (with its TFLite dtype and shape). */
  define(index: number, name: string): void;
  /** Tensor `index` as float32: DequantizeLinear for quantized tensors, the value itself otherwise. */
  dequantized(index: number): string;
  /** dequantized() of valueAnyRank(): for elementwise ops. */
  dequantizedAnyRank(index: number): string;
  /**
   * Quantizes float value `name` into output tensor `index` (or passes it on for float outputs).
   * `dims`: the float value's dims when they differ from the tensor's by leading 1s.
   */
  quantizeInto(index: number, floatName: string, dims?: readonly number[]): void;
  /**
   * Scale and zero-point initializers of quantized tensor `index` (axis set when per-channel).
   * `asWeight` keeps int8 (conv kernels); otherwise int8 activations are stored as uint8.
   */
  quantParams(index: number, asWeight?: boolean): { scale: string; zeroPoint: string; axis?: number };
  /** Integer contents of a constant tensor (shapes, axes, slice bounds). */
  constantInts(index: number, what: string): number[];
  /** Applies a fused activation in float, skipping it when the output quantization already clamps to it. */
  activate(floatName: string, activation: FusedActivation, outputIndex: number): string;
  fail(op: TfliteOperator, message: string): ActionLensError;
}

const ONNX_TYPE_OF: Partial<Record<TfliteTensor['type'], OnnxDataType>> = {
  float32: 'float32', float16: 'float16', int32: 'int32', uint8: 'uint8', int64: 'int64', bool: 'bool', int8: 'int8',
};

export function onnxTypeOf(t: TfliteTensor): OnnxDataType {
  const dtype = ONNX_TYPE_OF[t.type];
  if (!dtype) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Tensor "${t.name}" has TFLite type ${t.type}, which the converter does not support (supported: ${Object.keys(ONNX_TYPE_OF).join(', ')}).`);
  }
  return dtype;
}

/**
 * int8 activations are stored as uint8 (value + 128, zero point + 128): the same real numbers,
 * but ONNX Runtime's x86 kernels fuse and run u8 activations x s8 weights (QLinearConv u8s8),
 * while s8 activations mostly stay as float Conv between DQ/Q.
 */
export const UINT8_SHIFT = 128;

export function storageTypeOf(t: TfliteTensor): OnnxDataType {
  if (t.type === 'int8' && t.quantization && t.quantization.scale.length === 1) return 'uint8';
  return onnxTypeOf(t);
}

/** A constant in its storage type (see storageTypeOf). */
function storedConstant(t: TfliteTensor): OnnxTensorData {
  const c = constantTensor(t);
  if (c.dtype !== 'int8' || storageTypeOf(t) !== 'uint8') return c;
  return { dtype: 'uint8', dims: c.dims, data: Uint8Array.from(c.data, (v) => v + UINT8_SHIFT) };
}

/** A TFLite constant buffer as an ONNX tensor of the same dtype and shape. */
export function constantTensor(t: TfliteTensor): OnnxTensorData {
  if (!t.data) throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Tensor "${t.name}" was expected to be a constant but has no data.`);
  const dims = t.shape;
  const bytes = new Uint8Array(t.data); // aligned copy (Buffer.slice would be a view)
  const buf = bytes.buffer;
  switch (onnxTypeOf(t)) {
    case 'float32': return { dtype: 'float32', dims, data: new Float32Array(buf) };
    case 'int32': return { dtype: 'int32', dims, data: new Int32Array(buf) };
    case 'int8': return { dtype: 'int8', dims, data: new Int8Array(buf) };
    case 'uint8': return { dtype: 'uint8', dims, data: new Uint8Array(buf) };
    case 'int64': return { dtype: 'int64', dims, data: new BigInt64Array(buf) };
    case 'bool': return { dtype: 'bool', dims, data: new Uint8Array(buf) };
    case 'float16': return { dtype: 'float16', dims, data: new Uint16Array(buf) };
  }
}

export function createConversionContext(g: GraphBuilder, model: TfliteModel, preferredNames: ReadonlyMap<number, string>): ConversionContext {
  const values = new Map<number, string>();
  /** Exact-shape Reshapes of values held at another rank, made once and shared by every consumer. */
  const exactValues = new Map<number, string>();
  const anyRankConstants = new Map<number, string>();
  const dequantizedValues = new Map<number, string>();
  const dequantizedAnyRank = new Map<number, string>();
  const sharedConstants = new Map<string, string>();

  /** Scale / zero-point initializers, shared between tensors with equal parameters. */
  function qparams(t: TfliteTensor, asWeight = false): { scale: string; zeroPoint: string; axis?: number } {
    const q = t.quantization;
    if (!q) throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Tensor "${t.name}" (${t.type}) has no quantization parameters.`);
    const perChannel = q.scale.length > 1;
    const zpType = asWeight ? onnxTypeOf(t) : storageTypeOf(t);
    const shift = zpType === 'uint8' && t.type === 'int8' ? UINT8_SHIFT : 0;
    const zps = Array.from(q.zeroPoint.length ? q.zeroPoint : [0n], (z) => Number(z) + shift);
    const key = `${zpType}|${perChannel}|${Array.from(q.scale).join(',')}|${zps.join(',')}`;
    let names = sharedConstants.get(key);
    if (!names) {
      const dims = perChannel ? [q.scale.length] : [];
      const scale = g.constant('scale', { dtype: 'float32', dims, data: Float32Array.from(q.scale) });
      const zpData = perChannel ? zps : [zps[0]];
      const zeroPoint = g.constant('zero_point', zeroPointTensor(zpType, zpData, dims));
      names = `${scale}\n${zeroPoint}`;
      sharedConstants.set(key, names);
    }
    const [scale, zeroPoint] = names.split('\n');
    return { scale, zeroPoint, axis: perChannel ? q.quantizedDimension : undefined };
  }

  const ctx: ConversionContext = {
    g,
    model,
    tensor(index) {
      const t = model.tensors[index];
      if (!t) throw new ActionLensError('AL_ERR_TFLITE_INVALID', `Not a valid TFLite model: tensor index ${index} is out of range [0, ${model.tensors.length}).`);
      return t;
    },
    value(index) {
      const known = values.get(index);
      if (known) return exactShape(index, known);
      const t = ctx.tensor(index);
      if (!t.data) {
        throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Tensor ${index} "${t.name}" is read before any operator produces it.`);
      }
      const name = g.constant(sanitize(t.name), storedConstant(t));
      values.set(index, name);
      return name;
    },
    valueAnyRank(index) {
      const known = values.get(index);
      if (known) return known;
      const t = ctx.tensor(index);
      if (!t.data) return ctx.value(index); // throws the 'read before produced' error
      const cached = anyRankConstants.get(index);
      if (cached) return cached;
      // A constant with its leading 1s dropped: it cannot raise the rank of what it is combined with.
      const c = storedConstant(t);
      const name = g.constant(sanitize(t.name), { ...c, dims: withoutLeadingOnes(t.shape) } as OnnxTensorData);
      g.setInfo(name, { dtype: c.dtype, dims: withoutLeadingOnes(t.shape) });
      anyRankConstants.set(index, name);
      return name;
    },
    alias(index, name) {
      const t = ctx.tensor(index);
      const dims = numericDims(g, name);
      if (!dims || !sameUpToLeadingOnes(dims, t.shape)) {
        throw new ActionLensError('AL_ERR_INTERNAL', `Tensor "${t.name}" [${t.shape}] cannot alias "${name}" [${dims ?? 'unknown'}]: shapes differ beyond leading 1s.`);
      }
      values.set(index, name);
    },
    outputName(index) {
      return preferredNames.get(index) ?? g.uniqueName(sanitize(ctx.tensor(index).name));
    },
    define(index, name) {
      const t = ctx.tensor(index);
      values.set(index, name);
      g.setInfo(name, { dtype: storageTypeOf(t), dims: t.shape });
    },
    dequantizedAnyRank(index) {
      const t = ctx.tensor(index);
      const held = ctx.valueAnyRank(index);
      if (t.type === 'float32' || !t.quantization) return held;
      const known = dequantizedAnyRank.get(index);
      if (known) return known;
      const q = qparams(t);
      if (q.axis !== undefined) return ctx.dequantized(index); // per-channel axis needs the exact rank
      const [name] = g.node('DequantizeLinear', [held, q.scale, q.zeroPoint], {}, {
        outputInfo: [{ dtype: 'float32', dims: numericDims(g, held) ?? t.shape }],
      });
      dequantizedAnyRank.set(index, name);
      return name;
    },
    dequantized(index) {
      const t = ctx.tensor(index);
      if (t.type === 'float32') return ctx.value(index);
      if (!t.quantization) return ctx.value(index);
      const known = dequantizedValues.get(index);
      if (known) return known;
      const q = qparams(t);
      const [name] = g.node('DequantizeLinear', [ctx.value(index), q.scale, q.zeroPoint], q.axis === undefined ? {} : { axis: q.axis }, {
        outputInfo: [{ dtype: 'float32', dims: t.shape }],
      });
      dequantizedValues.set(index, name);
      return name;
    },
    quantizeInto(index, floatName, dims) {
      const t = ctx.tensor(index);
      const otherRank = dims !== undefined && !sameDims(dims, t.shape);
      if (t.type === 'float32' || !t.quantization) {
        // Graph outputs need their signature name; anything else keeps the float value as is.
        const wanted = preferredNames.get(index);
        const exactFloat = otherRank ? reshapeTo(g, floatName, t.shape, wanted) : floatName;
        const name = wanted && wanted !== exactFloat ? g.node('Identity', [exactFloat], {}, { outputs: [wanted] })[0] : exactFloat;
        ctx.define(index, name);
        return;
      }
      const q = qparams(t);
      if (otherRank && q.axis === undefined) {
        const [held] = g.node('QuantizeLinear', [floatName, q.scale, q.zeroPoint], {}, { outputInfo: [{ dtype: storageTypeOf(t), dims }] });
        ctx.alias(index, held);
        return;
      }
      const exactFloat = otherRank ? reshapeTo(g, floatName, t.shape) : floatName;
      const [name] = g.node('QuantizeLinear', [exactFloat, q.scale, q.zeroPoint], q.axis === undefined ? {} : { axis: q.axis }, {
        outputs: [ctx.outputName(index)],
      });
      ctx.define(index, name);
    },
    quantParams: (index, asWeight = false) => qparams(ctx.tensor(index), asWeight),
    constantInts(index, what) {
      const t = ctx.tensor(index);
      if (!t.data) throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `The ${what} (tensor "${t.name}") must be a constant; dynamic ${what}s are not supported.`);
      const c = constantTensor(t);
      if (c.dtype !== 'int32' && c.dtype !== 'int64') {
        throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `The ${what} (tensor "${t.name}") has type ${c.dtype}; expected int32 or int64.`);
      }
      return Array.from(c.data as ArrayLike<number | bigint>, Number);
    },
    activate(floatName, activation, outputIndex) {
      if (activation === 'NONE') return floatName;
      const range = ACTIVATION_RANGES[activation];
      if (!range) throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Fused activation ${activation} is not supported (supported: NONE, RELU, RELU6, RELU_N1_TO_1).`);
      const t = ctx.tensor(outputIndex);
      const covered = quantizedRange(t);
      // The Q that follows saturates to [covered]; when that lies inside the activation's range the clamp is a no-op.
      if (covered && covered[0] >= range[0] - covered[2] / 2 && covered[1] <= range[1] + covered[2] / 2) return floatName;
      if (range[1] === Infinity && range[0] === 0) return g.node('Relu', [floatName])[0];
      const lo = g.constant('clip_min', { dtype: 'float32', dims: [], data: Float32Array.of(range[0]) });
      const hi = g.constant('clip_max', { dtype: 'float32', dims: [], data: Float32Array.of(range[1]) });
      return g.node('Clip', [floatName, lo, hi])[0];
    },
    fail(op, message) {
      return new ActionLensError('AL_ERR_CONVERSION_FAILED', `TFLite operator ${op.index} (${op.opName}): ${message}`);
    },
  };

  /** `held` (tensor `index` at another rank) reshaped to the tensor's exact shape, once. */
  function exactShape(index: number, held: string): string {
    const t = ctx.tensor(index);
    const dims = numericDims(g, held);
    if (!dims || sameDims(dims, t.shape)) return held;
    let exact = exactValues.get(index);
    if (!exact) {
      exact = reshapeTo(g, held, t.shape, preferredNames.get(index));
      g.setInfo(exact, { dtype: storageTypeOf(t), dims: t.shape });
      exactValues.set(index, exact);
    }
    return exact;
  }

  return ctx;
}

function reshapeTo(g: GraphBuilder, name: string, shape: readonly number[], outputName?: string): string {
  const shapeName = g.constant('shape', { dtype: 'int64', dims: [shape.length], data: BigInt64Array.from(shape, BigInt) });
  const info = g.info(name);
  return g.node('Reshape', [name, shapeName], {}, { ...(outputName ? { outputs: [outputName] } : {}), outputInfo: [{ dtype: info?.dtype, dims: shape }] })[0];
}

/** Static dims recorded for `name`, or undefined when unknown or symbolic. */
function numericDims(g: GraphBuilder, name: string): number[] | undefined {
  const dims = g.info(name)?.dims;
  return dims && dims.every((d): d is number => typeof d === 'number') ? [...dims] : undefined;
}

const ACTIVATION_RANGES: Partial<Record<FusedActivation, [number, number]>> = {
  RELU: [0, Infinity],
  RELU6: [0, 6],
  RELU_N1_TO_1: [-1, 1],
};

/** [min, max, scale] of the real values an int8/uint8 tensor can hold, or undefined when not quantized. */
function quantizedRange(t: TfliteTensor): [number, number, number] | undefined {
  const q = t.quantization;
  if (!q || q.scale.length !== 1 || (t.type !== 'int8' && t.type !== 'uint8')) return undefined;
  const [qmin, qmax] = t.type === 'int8' ? [-128, 127] : [0, 255];
  const zp = Number(q.zeroPoint[0] ?? 0n);
  return [(qmin - zp) * q.scale[0], (qmax - zp) * q.scale[0], q.scale[0]];
}

function zeroPointTensor(dtype: OnnxDataType, values: number[], dims: number[]): OnnxTensorData {
  switch (dtype) {
    case 'int8': return { dtype, dims, data: Int8Array.from(values) };
    case 'uint8': return { dtype, dims, data: Uint8Array.from(values) };
    case 'int32': return { dtype, dims, data: Int32Array.from(values) };
    default: throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Quantized type ${dtype} is not supported (supported: int8, uint8, int32).`);
  }
}

/** TFLite names hold '/', ':' and ';' (fine in ONNX, but short readable names help debugging). */
export function sanitize(name: string): string {
  const last = name.split(';')[0];
  return last.replace(/[^A-Za-z0-9_./:-]/g, '_').slice(-96) || 'tensor';
}
