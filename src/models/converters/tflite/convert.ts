// TFLite flatbuffer -> ONNX (opset 17, QDQ int8). Graph inputs and outputs use the signature
// names; each state output is named `<state>_out` (ONNX values are single-assignment, so an
// output cannot reuse its input's name) and `stateNames` pairs them for the runner. Quantized
// boundaries are moved out of the graph (see interface-plan.ts): such inputs take uint8 codes,
// listed with their scale and zero point in the metadata (QUANTIZED_INPUTS_METADATA_KEY).
import { ActionLensError } from '../../../core/errors.js';
import { silentLogger, type Logger } from '../../../core/logger.js';
import { encodeQuantizedInputs, QUANTIZED_INPUTS_METADATA_KEY, type InputQuantization } from '../../../core/quantized-input.js';
import type { OnnxDataType } from '../onnx/dtypes.js';
import { createGraphBuilder } from '../onnx/graph-builder.js';
import { createConversionContext, onnxTypeOf, sanitize, storageTypeOf, UINT8_SHIFT } from './context.js';
import { planInterface } from './interface-plan.js';
import { isSupportedTfliteOp, TFLITE_OP_CONVERTERS } from './op-table.js';
import { readTfliteModel } from './reader.js';
import type { TfliteModel, TfliteSignature, TfliteTensor } from './schema.js';

/** Goes into cache keys: bump whenever the produced ONNX changes. */
export const TFLITE_CONVERTER_VERSION = 'tflite2onnx-1.2.0';
/** ONNX metadata key: JSON [{ input, output }] of the state pairs the runner feeds back. */
export const STATE_NAMES_METADATA_KEY = 'actionlens.state_names';
export const STATE_OUTPUT_SUFFIX = '_out';

export interface TfliteConversionOptions {
  /** Signature to export (default: the first, usually 'serving_default'). */
  signatureKey?: string;
  graphName?: string;
  logger?: Logger;
}

export interface TensorSignature {
  name: string;
  dtype: OnnxDataType;
  shape: number[];
  /** Set when the value holds uint8 codes: real = (code - zeroPoint) * scale. */
  quantization?: InputQuantization;
}

export interface StateName {
  /** Graph input fed with the previous step's state (zeros at the start). */
  input: string;
  /** Graph output holding the next state. */
  output: string;
}

export interface TfliteConversionResult {
  onnx: Uint8Array;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  /** Inputs that are also outputs in the signature (streaming state), paired by name. */
  stateNames: StateName[];
  /** How many operators of each TFLite type were converted. */
  opCounts: Record<string, number>;
  /** Operators folded into the interface (QUANTIZE of inputs, DEQUANTIZE of state outputs). */
  foldedOperators: number;
  /** States the model returns unchanged and never reads, left out of the graph. */
  droppedStates: string[];
  nodeCount: number;
  converterVersion: string;
}

export function convertTfliteToOnnx(bytes: Uint8Array, options: TfliteConversionOptions = {}): TfliteConversionResult {
  const log = options.logger ?? silentLogger;
  const model = readTfliteModel(bytes);
  assertOpsSupported(model);
  const fullSignature = pickSignature(model, options.signatureKey);
  const plan = planInterface(model, fullSignature);
  const live = (s: { name: string }) => !plan.deadStates.has(s.name);
  const signature = { ...fullSignature, inputs: fullSignature.inputs.filter(live), outputs: fullSignature.outputs.filter(live) };
  const inputNames = new Set(signature.inputs.map((i) => i.name));
  const outputNameOf = (name: string) => (inputNames.has(name) ? `${name}${STATE_OUTPUT_SUFFIX}` : name);
  /** The tensor a graph output holds: its codes when the final DEQUANTIZE is folded away. */
  const outputTensorOf = (o: { name: string; tensorIndex: number }) => plan.quantizedOutputs.get(o.name) ?? o.tensorIndex;

  // Outputs computed by an operator get their final name directly (no Identity copies).
  const inputTensors = new Set(signature.inputs.map((i) => i.tensorIndex));
  const preferredNames = new Map<number, string>();
  for (const o of signature.outputs) if (!inputTensors.has(o.tensorIndex)) preferredNames.set(outputTensorOf(o), outputNameOf(o.name));

  const g = createGraphBuilder(options.graphName ?? 'tflite_model');
  const ctx = createConversionContext(g, model, preferredNames);
  const quantizedInputs = new Map<string, InputQuantization>();
  const inputs = signature.inputs.map((i): TensorSignature => {
    const t = ctx.tensor(i.tensorIndex);
    const quantized = plan.quantizedInputs.get(i.name);
    if (!quantized) {
      g.input(i.name, onnxTypeOf(t), t.shape);
      ctx.define(i.tensorIndex, i.name);
      return { name: i.name, dtype: onnxTypeOf(t), shape: t.shape };
    }
    const codes = ctx.tensor(quantized.codesTensor);
    const dtype = storageTypeOf(codes);
    g.input(i.name, dtype, t.shape);
    for (const aliased of quantized.aliasedTensors) ctx.define(aliased, i.name);
    if (quantized.needsFloat) {
      const q = ctx.quantParams(quantized.codesTensor);
      const [real] = g.node('DequantizeLinear', [i.name, q.scale, q.zeroPoint], {}, { outputInfo: [{ dtype: 'float32', dims: t.shape }] });
      ctx.define(i.tensorIndex, real);
    }
    const quantization = codeQuantization(codes);
    quantizedInputs.set(i.name, quantization);
    return { name: i.name, dtype, shape: t.shape, quantization };
  });

  const opCounts: Record<string, number> = {};
  for (const op of model.operators) {
    if (plan.foldedOperators.has(op.index)) continue;
    if (!isSupportedTfliteOp(op.opName)) throw unsupported([op.opName]);
    try {
      TFLITE_OP_CONVERTERS[op.opName](op, ctx);
    } catch (e) {
      if (e instanceof ActionLensError) throw e;
      throw ctx.fail(op, e instanceof Error ? e.message : String(e));
    }
    opCounts[op.opName] = (opCounts[op.opName] ?? 0) + 1;
  }

  // logits (non-state outputs) first, then states in signature order
  const ordered = [...signature.outputs].sort((a, b) => Number(inputNames.has(a.name)) - Number(inputNames.has(b.name)));
  const outputs = ordered.map((o): TensorSignature => {
    const index = outputTensorOf(o);
    const t = ctx.tensor(index);
    const name = outputNameOf(o.name);
    const value = ctx.value(index);
    if (value !== name) g.node('Identity', [value], {}, { outputs: [name] });
    if (index === o.tensorIndex) {
      g.output(name, onnxTypeOf(t), t.shape);
      return { name, dtype: onnxTypeOf(t), shape: t.shape };
    }
    g.output(name, storageTypeOf(t), t.shape);
    return { name, dtype: storageTypeOf(t), shape: t.shape, quantization: codeQuantization(t) };
  });
  const stateNames = signature.outputs.filter((o) => inputNames.has(o.name)).map((o) => ({ input: o.name, output: outputNameOf(o.name) }));

  const onnx = g.toModel({
    producer: 'actionlens',
    producerVersion: TFLITE_CONVERTER_VERSION,
    metadata: {
      'actionlens.converter': TFLITE_CONVERTER_VERSION,
      'actionlens.source': 'tflite',
      [STATE_NAMES_METADATA_KEY]: JSON.stringify(stateNames),
      [QUANTIZED_INPUTS_METADATA_KEY]: encodeQuantizedInputs(quantizedInputs),
    },
  });
  const droppedStates = [...plan.deadStates];
  log.debug({ nodes: g.nodeCount, bytes: onnx.byteLength, opCounts, droppedStates, quantizedInputs: quantizedInputs.size }, 'converted TFLite model to ONNX');
  return {
    onnx,
    inputs,
    outputs,
    stateNames,
    opCounts,
    foldedOperators: plan.foldedOperators.size,
    droppedStates,
    nodeCount: g.nodeCount,
    converterVersion: TFLITE_CONVERTER_VERSION,
  };
}

/** Scale and zero point of a per-tensor quantized tensor, in its ONNX storage type (int8 -> uint8). */
function codeQuantization(t: TfliteTensor): InputQuantization {
  const q = t.quantization!;
  const shift = t.type === 'int8' && storageTypeOf(t) === 'uint8' ? UINT8_SHIFT : 0;
  return { scale: q.scale[0], zeroPoint: Number(q.zeroPoint[0] ?? 0n) + shift };
}

function assertOpsSupported(model: TfliteModel): void {
  const missing = [...new Set(model.operators.map((op) => op.opName).filter((name) => !isSupportedTfliteOp(name)))];
  if (missing.length > 0) throw unsupported(missing);
}

function unsupported(names: string[]): ActionLensError {
  return new ActionLensError(
    'AL_ERR_UNSUPPORTED_TFLITE_OP',
    `The TFLite model uses operator(s) ${names.join(', ')}, which the converter does not support (supported: ${Object.keys(TFLITE_OP_CONVERTERS).join(', ')}).`,
    { hint: 'Use a model built from the supported operators, or convert it to ONNX with another tool and register the ONNX file.' },
  );
}

function pickSignature(model: TfliteModel, key: string | undefined): TfliteSignature {
  if (key !== undefined) {
    const found = model.signatures.find((s) => s.key === key);
    if (!found) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `signatureKey "${key}" is not in the model (available: ${model.signatures.map((s) => s.key).join(', ') || 'none'}).`, {
        hint: 'Leave signatureKey unset to use the first signature.',
      });
    }
    return found;
  }
  if (model.signatures.length > 0) return model.signatures[0];
  // No SignatureDef: fall back to the subgraph's own inputs and outputs, named after their tensors.
  const named = (index: number) => ({ name: sanitize(model.tensors[index]?.name ?? `tensor_${index}`), tensorIndex: index });
  return { key: 'subgraph0', inputs: model.inputs.map(named), outputs: model.outputs.map(named) };
}
