// ONNX protobuf messages as plain data, and their encoding (field numbers from onnx/onnx.proto3).
import { ONNX_DATA_TYPES, tensorRawBytes, type OnnxDataType, type OnnxTensorData } from './dtypes.js';
import { concatChunks, ProtoWriter } from './protobuf-writer.js';

export { concatChunks };

/** A dimension: a size, a symbolic name (e.g. 'batch') or unknown. */
export type Dim = number | string | undefined;

export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number | bigint }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxTensorData }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'ints'; value: readonly (number | bigint)[] }
  | { type: 'strings'; value: readonly string[] };

export interface OnnxNode {
  opType: string;
  domain?: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, OnnxAttribute>>;
}

export interface OnnxValueInfo {
  name: string;
  dtype: OnnxDataType;
  dims?: readonly Dim[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly (OnnxTensorData & { name: string })[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  valueInfo?: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  producerName: string;
  producerVersion?: string;
  opsets: readonly { domain: string; version: number }[];
  metadata?: Readonly<Record<string, string>>;
  graph: OnnxGraph;
}

const ATTRIBUTE_TYPES = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

export function encodeModel(model: OnnxModel): Uint8Array {
  return concatChunks(encodeModelChunks(model));
}

/**
 * The encoded model as chunks that are mostly views of the initializers' data: a caller that
 * writes them out one by one never holds a second copy of the weights.
 */
export function encodeModelChunks(model: OnnxModel): Uint8Array[] {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  w.message(7, (g) => writeGraph(g, model.graph));
  for (const opset of model.opsets) {
    w.message(8, (o) => {
      if (opset.domain) o.string(1, opset.domain);
      o.int(2, opset.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (e) => {
      e.string(1, key);
      e.string(2, value);
    });
  }
  return w.finishChunks();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const init of graph.initializers) w.message(5, (t) => writeTensor(t, init, init.name));
  for (const v of graph.inputs) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of graph.outputs) w.message(12, (m) => writeValueInfo(m, v));
  for (const v of graph.valueInfo ?? []) w.message(13, (m) => writeValueInfo(m, v));
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, attr] of Object.entries(node.attributes)) w.message(5, (a) => writeAttribute(a, name, attr));
  if (node.domain) w.string(7, node.domain);
}

function writeAttribute(w: ProtoWriter, name: string, attr: OnnxAttribute): void {
  w.string(1, name);
  w.int(20, ATTRIBUTE_TYPES[attr.type]);
  switch (attr.type) {
    case 'float': w.float(2, attr.value); break;
    case 'int': w.int(3, attr.value); break;
    case 'string': w.string(4, attr.value); break;
    case 'tensor': w.message(5, (t) => writeTensor(t, attr.value)); break;
    case 'floats': w.packedFloats(7, attr.value); break;
    case 'ints': w.packedInts(8, attr.value); break;
    case 'strings': for (const s of attr.value) w.string(9, s); break;
  }
}

function writeTensor(w: ProtoWriter, t: OnnxTensorData, name?: string): void {
  w.packedInts(1, t.dims);
  w.int(2, ONNX_DATA_TYPES[t.dtype]);
  if (name) w.string(8, name);
  w.bytes(9, tensorRawBytes(t));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ONNX_DATA_TYPES[v.dtype]);
      if (v.dims) {
        const dims = v.dims;
        tensor.message(2, (shape) => {
          for (const d of dims) {
            shape.message(1, (dim) => {
              if (typeof d === 'number') dim.int(1, d);
              else if (typeof d === 'string') dim.string(2, d);
            });
          }
        });
      }
    }),
  );
}
