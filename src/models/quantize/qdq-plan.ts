// Which values of a float32 graph get int8: every Conv with constant weights, its data input, and
// its output — taken after a directly following Relu / Clip(0, ..) so ONNX Runtime can drop the
// activation into the quantize step and fuse DequantizeLinear -> Conv -> QuantizeLinear into one
// QLinearConv. Values made by pure data movement (MaxPool, Reshape, ...) of a quantized value reuse
// its parameters: ONNX Runtime then runs those ops on int8 directly instead of around float islands.
import type { OnnxGraph, OnnxNode } from '../converters/onnx/onnx-proto.js';

export interface ConvSite {
  /** Index of the Conv in graph.nodes. */
  node: number;
  input: string;
  weight: string;
  bias?: string;
}

export interface QdqPlan {
  convs: ConvSite[];
  /** Values that get a QuantizeLinear -> DequantizeLinear pair, in graph order. */
  values: string[];
  /** value -> the value whose range (and so parameters) it shares; roots are absent. */
  sharesRangeWith: ReadonlyMap<string, string>;
  /** Values whose range must be measured (the roots), in graph order. */
  calibrated: string[];
}

const RANGE_PRESERVING = new Set(['MaxPool', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose']);

export function planQdq(graph: OnnxGraph): QdqPlan {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const consumers = consumersOf(graph.nodes);
  const producers = new Map<string, OnnxNode>();
  for (const node of graph.nodes) for (const o of node.outputs) producers.set(o, node);

  const convs: ConvSite[] = [];
  const wanted = new Set<string>();
  graph.nodes.forEach((node, index) => {
    if (node.opType !== 'Conv' || (node.domain ?? '') !== '') return;
    const [input, weight, bias] = node.inputs;
    const w = weight === undefined ? undefined : initializers.get(weight);
    if (input === undefined || !w || w.dtype !== 'float32' || w.dims.length < 3) return;
    if (isVideoStem(w.dims, Number(node.attributes.group?.value ?? 1))) return;
    const b = bias ? initializers.get(bias) : undefined;
    if (bias && (!b || b.dtype !== 'float32')) return; // a computed bias cannot be put in int32 ahead of time
    convs.push({ node: index, input, weight: weight!, ...(bias ? { bias } : {}) });
    wanted.add(input);
    wanted.add(activatedOutput(node.outputs[0]!, consumers, initializers));
  });

  const sharesRangeWith = new Map<string, string>();
  for (const value of wanted) {
    const producer = producers.get(value);
    const source = producer && RANGE_PRESERVING.has(producer.opType) ? producer.inputs[0] : undefined;
    if (source !== undefined && wanted.has(source)) sharesRangeWith.set(value, source);
  }
  const order = graphOrder(graph);
  const values = [...wanted].sort((a, b) => order(a) - order(b));
  const root = (v: string): string => (sharesRangeWith.has(v) ? root(sharesRangeWith.get(v)!) : v);
  for (const v of values) if (root(v) !== v) sharesRangeWith.set(v, root(v));
  return { convs, values, sharesRangeWith, calibrated: values.filter((v) => !sharesRangeWith.has(v)) };
}

/**
 * A 3D conv straight on the RGB frames with a temporal kernel (I3D's and SlowFast's 5x7x7 stems):
 * ONNX Runtime's integer 3D conv with 3 input channels is 5-8x slower than its float one, and the
 * whole int8 network slower than fp32 (measured: bench/mmaction2-int8.mjs). It stays float32.
 */
function isVideoStem(weightDims: readonly number[], group: number): boolean {
  // group 1: X3D's depthwise 3D convs also have 1 input channel per group, and are faster in int8.
  return group === 1 && weightDims.length === 5 && weightDims[1]! <= 4 && weightDims[2]! > 1;
}

/** The Conv's output, or the output of a Relu / Clip(min 0) that is its only consumer. */
function activatedOutput(convOut: string, consumers: ReadonlyMap<string, OnnxNode[]>, initializers: ReadonlyMap<string, { data: ArrayLike<number | bigint> }>): string {
  const users = consumers.get(convOut) ?? [];
  if (users.length !== 1) return convOut;
  const act = users[0]!;
  if (act.opType === 'Relu') return act.outputs[0]!;
  if (act.opType === 'Clip') {
    const min = act.inputs[1] ? initializers.get(act.inputs[1])?.data[0] : undefined;
    if (min !== undefined && Number(min) === 0) return act.outputs[0]!;
  }
  return convOut;
}

export function consumersOf(nodes: readonly OnnxNode[]): Map<string, OnnxNode[]> {
  const map = new Map<string, OnnxNode[]>();
  for (const node of nodes) {
    for (const i of node.inputs) {
      if (!i) continue;
      const list = map.get(i) ?? [];
      if (!list.includes(node)) list.push(node);
      map.set(i, list);
    }
  }
  return map;
}

/** Position of a value in the graph: inputs first, then node outputs in node order. */
function graphOrder(graph: OnnxGraph): (value: string) => number {
  const position = new Map<string, number>();
  graph.inputs.forEach((v, i) => position.set(v.name, i - graph.inputs.length));
  graph.nodes.forEach((node, i) => node.outputs.forEach((o) => position.set(o, i)));
  return (value) => position.get(value) ?? -1 - graph.inputs.length;
}
