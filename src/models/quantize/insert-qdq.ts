// Rewrites a float32 graph into ONNX's QDQ form from a plan and calibrated ranges: each planned
// value V gets V -> QuantizeLinear -> DequantizeLinear and every reader of V reads the dequantized
// copy; each planned Conv reads int8 per-channel weights and an int32 bias through
// DequantizeLinear; each planned Pad runs on the uint8 data itself. The graph stays float32 at its
// edges and runs anywhere; ONNX Runtime's QDQ fusion turns the patterns into integer kernels
// (QLinearConv, QLinearAdd, QLinearConcat, uint8 Reshape / Slice / MaxPool, ...) that use VNNI.
import { ActionLensError } from '../../core/errors.js';
import type { OnnxTensorData } from '../converters/onnx/dtypes.js';
import type { OnnxGraph, OnnxModel, OnnxNode } from '../converters/onnx/onnx-proto.js';
import { freshNamesFor } from './fresh-names.js';
import type { QdqPlan } from './qdq-plan.js';
import { activationParams, quantizeBias, quantizeWeightsPerChannel, type ActivationParams, type ValueRange } from './quant-params.js';

type Initializer = OnnxTensorData & { name: string };

const MIN_OPSET = 13;

export function insertQdq(model: OnnxModel, plan: QdqPlan, ranges: ReadonlyMap<string, ValueRange>): OnnxModel {
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset < MIN_OPSET) {
    // Per-channel DequantizeLinear (its `axis`) arrived in opset 13; raising the opset could change other ops.
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `int8 quantization needs an ONNX model of opset ${MIN_OPSET} or later; this one is opset ${opset}.`, {
      hint: 'Convert the model again with a current actionlens (it writes opset 17), or run it in fp32.',
    });
  }
  const graph = model.graph;
  const fresh = freshNamesFor(graph);

  const params = new Map<string, ActivationParams>();
  for (const value of plan.values) {
    const root = plan.sharesRangeWith.get(value) ?? value;
    const range = ranges.get(root);
    if (!range) throw new RangeError(`no calibrated range for "${root}"`);
    params.set(value, activationParams(range));
  }

  const added: Initializer[] = [];
  const scalar = (hint: string, t: OnnxTensorData): string => {
    const name = fresh(hint);
    added.push({ ...t, name });
    return name;
  };
  const activationScalars = (value: string): { scale: string; zero: string } => {
    const p = params.get(value)!;
    return {
      scale: scalar(`${value}/scale`, { dtype: 'float32', dims: [], data: Float32Array.of(p.scale) }),
      zero: scalar(`${value}/zero_point`, { dtype: 'uint8', dims: [], data: Uint8Array.of(p.zeroPoint) }),
    };
  };
  const dequantizeNode = (value: string, quantized: string, { scale, zero }: { scale: string; zero: string }): { node: OnnxNode; dequantized: string } => {
    const dequantized = fresh(`${value}/dequantized`);
    return { dequantized, node: { opType: 'DequantizeLinear', name: fresh(`${value}/DequantizeLinear`), inputs: [quantized, scale, zero], outputs: [dequantized], attributes: {} } };
  };

  // Weights and biases of each Conv, replaced by int8 / int32 constants and their DequantizeLinear.
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const replacedConstants = new Set<string>();
  const convPrefix = new Map<number, { nodes: OnnxNode[]; weight: string; bias?: string }>();
  for (const site of plan.convs) {
    const w = initializers.get(site.weight)!;
    const outChannels = w.dims[0]!;
    const q = quantizeWeightsPerChannel(w.data as Float32Array, outChannels);
    const nodes: OnnxNode[] = [];
    const dequantize = (hint: string, data: OnnxTensorData, scales: Float32Array, zeroDtype: 'int8' | 'int32'): string => {
      const value = scalar(`${hint}/quantized`, data);
      const scale = scalar(`${hint}/scale`, { dtype: 'float32', dims: [outChannels], data: scales });
      const zero = scalar(`${hint}/zero_point`, zeroDtype === 'int8' ? { dtype: 'int8', dims: [outChannels], data: new Int8Array(outChannels) } : { dtype: 'int32', dims: [outChannels], data: new Int32Array(outChannels) });
      const out = fresh(`${hint}/dequantized`);
      nodes.push({ opType: 'DequantizeLinear', name: fresh(`${hint}/DequantizeLinear`), inputs: [value, scale, zero], outputs: [out], attributes: { axis: { type: 'int', value: 0 } } });
      return out;
    };
    const weight = dequantize(site.weight, { dtype: 'int8', dims: w.dims, data: q.data }, q.scales, 'int8');
    let bias: string | undefined;
    if (site.bias) {
      const b = initializers.get(site.bias)!;
      const qb = quantizeBias(b.data as Float32Array, params.get(site.input)!.scale, q.scales);
      bias = dequantize(site.bias, { dtype: 'int32', dims: b.dims, data: qb.data }, qb.scales, 'int32');
    }
    replacedConstants.add(site.weight);
    if (site.bias) replacedConstants.add(site.bias);
    convPrefix.set(site.node, { nodes, weight, ...(bias ? { bias } : {}) });
  }

  // Walk in order: planned graph inputs first, then each node followed by the Q/DQ of its planned outputs.
  const planned = new Set(plan.values);
  const integerPads = new Set(plan.integerPads);
  const padValues = new Set(plan.integerPads.map((i) => graph.nodes[i]!.inputs[2]).filter((v) => !!v));
  const renamed = new Map<string, string>();
  /** planned value -> its uint8 copy, for the integer Pads that read it. */
  const quantizedOf = new Map<string, string>();
  const nodes: OnnxNode[] = [];
  const emitQdq = (value: string) => {
    const scalars = activationScalars(value);
    const quantized = fresh(`${value}/quantized`);
    nodes.push({ opType: 'QuantizeLinear', name: fresh(`${value}/QuantizeLinear`), inputs: [value, scalars.scale, scalars.zero], outputs: [quantized], attributes: {} });
    const dq = dequantizeNode(value, quantized, scalars);
    nodes.push(dq.node);
    renamed.set(value, dq.dequantized);
    quantizedOf.set(value, quantized);
  };
  const emitIntegerPad = (node: OnnxNode) => {
    const [data, pads, , ...rest] = node.inputs;
    const out = node.outputs[0]!;
    const scalars = activationScalars(out);
    const quantized = fresh(`${out}/quantized`);
    // The shared zero point is the quantized 0, so padding with it is exactly padding with 0.0.
    const padValue = (node.attributes.mode?.value ?? 'constant') === 'constant' ? scalars.zero : '';
    const inputs = [quantizedOf.get(data!)!, pads!, padValue, ...rest];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    nodes.push({ ...node, inputs, outputs: [quantized] });
    const dq = dequantizeNode(out, quantized, scalars);
    nodes.push(dq.node);
    renamed.set(out, dq.dequantized);
    quantizedOf.set(out, quantized);
  };
  for (const input of graph.inputs) if (planned.has(input.name)) emitQdq(input.name);
  graph.nodes.forEach((node, index) => {
    if (integerPads.has(index)) return emitIntegerPad(node);
    const conv = convPrefix.get(index);
    let inputs = node.inputs.map((i) => renamed.get(i) ?? i);
    if (conv) {
      nodes.push(...conv.nodes);
      inputs = [inputs[0]!, conv.weight, ...(conv.bias ? [conv.bias] : [])];
    }
    nodes.push({ ...node, inputs });
    for (const o of node.outputs) if (planned.has(o)) emitQdq(o);
  });

  // A DequantizeLinear that nothing reads (a value read only by integer Pads) is left out.
  const read = new Set(graph.outputs.map((o) => o.name));
  for (const n of nodes) for (const i of n.inputs) read.add(i);
  const dequantizedCopies = new Set(renamed.values());
  const live = nodes.filter((n) => !dequantizedCopies.has(n.outputs[0]!) || read.has(n.outputs[0]!));

  const stillUsed = new Set<string>();
  for (const n of live) for (const i of n.inputs) stillUsed.add(i);
  // Also gone: float pad values that integer Pads replaced by a zero point.
  const kept = graph.initializers.filter((t) => stillUsed.has(t.name) || !(replacedConstants.has(t.name) || padValues.has(t.name)));
  // Integer Pads no longer make their float outputs: drop what was said of those.
  const floatPadOutputs = new Set(plan.integerPads.map((i) => graph.nodes[i]!.outputs[0]));
  const valueInfo = graph.valueInfo?.filter((v) => !floatPadOutputs.has(v.name));
  const out: OnnxGraph = { ...graph, nodes: live, initializers: [...kept, ...added.filter((t) => stillUsed.has(t.name))], ...(valueInfo ? { valueInfo } : {}) };
  return { ...model, graph: out };
}
