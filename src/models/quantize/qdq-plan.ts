// Which values of a float32 graph get int8: every Conv with constant weights, its data input, and
// its output — taken after a directly following Relu / Clip(0, ..) so ONNX Runtime can drop the
// activation into the quantize step and fuse DequantizeLinear -> Conv -> QuantizeLinear into one
// QLinearConv. Values made by pure data movement (Reshape, Slice, zero Pad, Concat, MaxPool,
// ReduceMax, ...) reuse the parameters of the value they are made from, and where it pays that
// value is quantized too: ONNX Runtime then runs the data movement on uint8 instead of on float
// islands between a DequantizeLinear and a QuantizeLinear, and a residual Add whose result feeds
// such ops (TSM's temporal shift, C2D's temporal max pool) gets quantized inputs and output, so it
// becomes a QLinearAdd. Shared parameters keep zero padding exact: every range holds 0.
import type { OnnxTensorData } from '../converters/onnx/dtypes.js';
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
  /**
   * Indices (in graph.nodes) of Pads to run on the quantized data: their input and output share
   * parameters, so a uint8 Pad (the pad value written as the zero point) is exact. ONNX Runtime
   * has no QDQ rule for Pad and would run it in float between a DequantizeLinear and a QuantizeLinear.
   */
  integerPads: number[];
}

type Initializers = ReadonlyMap<string, OnnxTensorData>;

/**
 * Ops whose output holds only values of their first input (copies, or the max / min of some),
 * so the output's range lies within the input's. ONNX Runtime drops a DequantizeLinear ->
 * op -> QuantizeLinear of equal parameters around each of them and runs the op on uint8.
 */
const VALUE_PRESERVING = new Set([
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Transpose',
  'Slice',
  'Gather',
  'GatherElements',
  'Expand',
  'Tile',
  'MaxPool',
  'ReduceMax',
  'ReduceMin',
]);

export function planQdq(graph: OnnxGraph): QdqPlan {
  const initializers: Initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const consumers = consumersOf(graph.nodes);
  const producers = new Map<string, OnnxNode>();
  for (const node of graph.nodes) for (const o of node.outputs) producers.set(o, node);
  const graphInputs = new Set(graph.inputs.map((i) => i.name));
  /** A value a Q/DQ pair can be put on: a graph input or a node output (not a constant). */
  const isActivation = (v: string): boolean => graphInputs.has(v) || producers.has(v);

  const convs: ConvSite[] = [];
  const wanted = new Set<string>();
  graph.nodes.forEach((node, index) => {
    if (node.opType !== 'Conv' || !isDefaultDomain(node)) return;
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

  // The inputs a data-movement value is made of; for a Concat only when all of them come from one
  // value (TSM's shifted slices of one feature map), so one set of parameters fits them all.
  const sourcesOf = new Map<string, readonly string[] | undefined>();
  const rangeSources = (value: string): readonly string[] | undefined => {
    if (sourcesOf.has(value)) return sourcesOf.get(value);
    const node = producers.get(value);
    let sources = node && node.outputs[0] === value ? dataMovementInputs(node, initializers) : undefined;
    if (sources && !sources.every(isActivation)) sources = undefined;
    if (sources && sources.length > 1 && new Set(sources.map(origin)).size !== 1) sources = undefined;
    sourcesOf.set(value, sources);
    return sources;
  };
  const origin = (value: string): string => {
    const sources = rangeSources(value);
    return sources ? origin(sources[0]!) : value;
  };

  // Walk back from each planned value through data movement: its sources are quantized too, which
  // moves the QuantizeLinear up to the source. That pays only where ONNX Runtime can then make the
  // source in integer (a residual Add -> QLinearAdd) or it is the graph input, and where nothing
  // would read the source in float: a float reader needs a DequantizeLinear of it, and a Conv the
  // plan leaves in float (a video stem) between a DequantizeLinear and a QuantizeLinear is turned
  // into an integer conv by ONNX Runtime anyway.
  const plannedConvs = new Set(convs.map((c) => graph.nodes[c.node]!));
  const integerReader = (reader: OnnxNode, value: string): boolean =>
    (plannedConvs.has(reader) && reader.inputs[0] === value && !reader.inputs.slice(1).includes(value)) ||
    reader.opType === 'Add' ||
    dataMovementInputs(reader, initializers) !== undefined;
  const canQuantize = (value: string): boolean => {
    if (!(consumers.get(value) ?? []).every((reader) => integerReader(reader, value))) return false;
    if (graphInputs.has(value) || rangeSources(value)) return true;
    const producer = producers.get(value)!;
    const activated = producer.opType === 'Relu' || producer.opType === 'Clip' ? producers.get(producer.inputs[0]!) : producer;
    return activated?.opType === 'Add' && isDefaultDomain(activated);
  };
  const pending = [...wanted];
  while (pending.length > 0) {
    const sources = rangeSources(pending.pop()!) ?? [];
    if (!sources.every((s) => wanted.has(s) || canQuantize(s))) continue;
    for (const source of sources) {
      if (wanted.has(source)) continue;
      wanted.add(source);
      pending.push(source);
    }
  }

  // In graph order each value's sources come first: a value shares the root of its sources when
  // all of them are quantized with that one root (a Concat whose inputs were not all walked back
  // to their common origin keeps a range of its own).
  const order = graphOrder(graph);
  const values = [...wanted].sort((a, b) => order(a) - order(b));
  const sharesRangeWith = new Map<string, string>();
  const root = (v: string): string => sharesRangeWith.get(v) ?? v;
  for (const value of values) {
    const sources = rangeSources(value);
    if (!sources || !sources.every((s) => wanted.has(s))) continue;
    const roots = new Set(sources.map(root));
    if (roots.size === 1) sharesRangeWith.set(value, [...roots][0]!);
  }

  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const integerPads: number[] = [];
  graph.nodes.forEach((node, index) => {
    const out = node.outputs[0];
    // A graph output must stay float; the uint8 Pad would not make it.
    if (node.opType === 'Pad' && out !== undefined && sharesRangeWith.has(out) && !graphOutputs.has(out)) integerPads.push(index);
  });
  return { convs, values, sharesRangeWith, calibrated: values.filter((v) => !sharesRangeWith.has(v)), integerPads };
}

/**
 * The data inputs of an op that only moves values (or pads with zeros, which every quantized
 * range holds exactly: activationParams puts 0 on the grid), or undefined for any other op.
 */
function dataMovementInputs(node: OnnxNode, initializers: Initializers): readonly string[] | undefined {
  if (!isDefaultDomain(node) || node.outputs.length !== 1) return undefined;
  const data = node.inputs[0];
  if (!data) return undefined;
  if (VALUE_PRESERVING.has(node.opType)) return [data];
  // Concat of inputs on one grid: ONNX Runtime's QLinearConcat then needs no requantization.
  if (node.opType === 'Concat') return node.inputs.every((i) => i !== '') ? node.inputs : undefined;
  if (node.opType === 'Pad') {
    // Opset 11+ Pad (pads as an input). edge / reflect / wrap copy values; constant adds its value.
    if (node.inputs.length < 2) return undefined;
    const mode = node.attributes.mode?.value ?? 'constant';
    if (mode !== 'constant') return [data];
    const value = node.inputs[2];
    if (!value) return [data]; // the pad value defaults to 0
    const constant = initializers.get(value);
    return constant && constant.data.length === 1 && Number(constant.data[0]) === 0 ? [data] : undefined;
  }
  return undefined;
}

function isDefaultDomain(node: OnnxNode): boolean {
  return (node.domain ?? '') === '' || node.domain === 'ai.onnx';
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
function activatedOutput(convOut: string, consumers: ReadonlyMap<string, OnnxNode[]>, initializers: Initializers): string {
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
