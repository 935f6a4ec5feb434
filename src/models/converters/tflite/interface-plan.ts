// Which parts of a TFLite signature the ONNX graph exposes, and in what form. A quantized TFLite
// model takes float inputs and quantizes them first thing, and dequantizes its outputs last thing;
// for a streaming model that means every state crosses the graph boundary as float32 each frame
// (4x the bytes, plus a Q and a DQ kernel per state). The plan moves those boundaries out:
// - a state the model returns unchanged and never reads is dropped (it carries nothing);
// - a state output made by DEQUANTIZE is exposed as its integer codes, and its input takes the same
//   codes (QUANTIZE ops with the same parameters become the input itself; any other reader gets a
//   DequantizeLinear, so the graph computes exactly what the float state would have given);
// - a plain input read only by QUANTIZE ops with one set of parameters takes the codes directly.
// Exact: a code survives DQ -> float -> Q with the same parameters unchanged, and real zero is the
// zero point, so states that start at "real zero" start at the zero point (recorded in metadata).
import type { TfliteModel, TfliteSignature, TfliteTensor } from './schema.js';

export interface QuantizedInputPlan {
  /** The TFLite tensor whose type and quantization the graph input takes. */
  codesTensor: number;
  /** QUANTIZE outputs that are the graph input itself (their operators are folded away). */
  aliasedTensors: number[];
  /** Some reader needs the float value: the graph dequantizes the input for it. */
  needsFloat: boolean;
}

export interface InterfacePlan {
  /** State names dropped from the graph's inputs and outputs. */
  deadStates: Set<string>;
  quantizedInputs: Map<string, QuantizedInputPlan>;
  /** Output name -> the tensor holding its codes (before the folded DEQUANTIZE). */
  quantizedOutputs: Map<string, number>;
  /** Operator indices folded into the interface instead of being converted. */
  foldedOperators: Set<number>;
}

function perTensorQuantized(t: TfliteTensor): boolean {
  return (t.type === 'int8' || t.type === 'uint8') && t.quantization !== undefined && t.quantization.scale.length === 1;
}

function sameQuantization(a: TfliteTensor, b: TfliteTensor): boolean {
  if (!perTensorQuantized(a) || !perTensorQuantized(b) || a.type !== b.type) return false;
  return a.quantization!.scale[0] === b.quantization!.scale[0] && (a.quantization!.zeroPoint[0] ?? 0n) === (b.quantization!.zeroPoint[0] ?? 0n);
}

export function planInterface(model: TfliteModel, signature: TfliteSignature): InterfacePlan {
  const readers = new Map<number, number[]>(); // tensor -> operator indices reading it
  const producer = new Map<number, number>();
  model.operators.forEach((op, i) => {
    for (const t of op.inputs) if (t >= 0) readers.set(t, [...(readers.get(t) ?? []), i]);
    for (const t of op.outputs) producer.set(t, i);
  });
  const signatureOutputs = new Set(signature.outputs.map((o) => o.tensorIndex));
  const outputByName = new Map(signature.outputs.map((o) => [o.name, o.tensorIndex]));
  const plan: InterfacePlan = { deadStates: new Set(), quantizedInputs: new Map(), quantizedOutputs: new Map(), foldedOperators: new Set() };

  for (const input of signature.inputs) {
    const inTensor = model.tensors[input.tensorIndex];
    const outIndex = outputByName.get(input.name);
    const inputReaders = readers.get(input.tensorIndex) ?? [];
    if (outIndex === input.tensorIndex && inputReaders.length === 0) {
      plan.deadStates.add(input.name);
      continue;
    }
    if (inTensor?.type !== 'float32') continue;

    let codesTensor: number | undefined;
    if (outIndex !== undefined) {
      // A state: its codes are those of the DEQUANTIZE that makes the output (kept only when the
      // graph itself also reads the float value).
      const dq = producer.get(outIndex);
      const dqOp = dq === undefined ? undefined : model.operators[dq];
      if (!dqOp || dqOp.opName !== 'DEQUANTIZE') continue;
      const codes = dqOp.inputs[0];
      if (!perTensorQuantized(model.tensors[codes]) || signatureOutputs.has(codes)) continue;
      codesTensor = codes;
      plan.quantizedOutputs.set(input.name, codes);
      if ((readers.get(outIndex) ?? []).length === 0) plan.foldedOperators.add(dq!);
    } else {
      // A plain input: only if every reader quantizes it the same way.
      const outs = inputReaders.map((i) => model.operators[i]).map((op) => (op.opName === 'QUANTIZE' ? op.outputs[0] : undefined));
      if (outs.length === 0 || outs.some((o) => o === undefined)) continue;
      if (!outs.every((o) => sameQuantization(model.tensors[o!], model.tensors[outs[0]!]))) continue;
      codesTensor = outs[0]!;
    }

    const entry: QuantizedInputPlan = { codesTensor, aliasedTensors: [], needsFloat: false };
    for (const i of inputReaders) {
      const op = model.operators[i];
      if (op.opName === 'QUANTIZE' && sameQuantization(model.tensors[op.outputs[0]], model.tensors[codesTensor])) {
        entry.aliasedTensors.push(op.outputs[0]);
        plan.foldedOperators.add(i);
      } else {
        entry.needsFloat = true;
      }
    }
    plan.quantizedInputs.set(input.name, entry);
  }
  return plan;
}
