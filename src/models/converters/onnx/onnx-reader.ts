// Decodes an ONNX ModelProto into the plain data of onnx-proto.ts: the inverse of encodeModel(),
// so a converted model can be read back, rewritten (e.g. quantized) and encoded again.
//
// Memory: tensor data is never copied more than once. raw_data (and packed float_data) whose
// position is aligned for its element size becomes a typed-array view into `bytes`: the decoded
// model then shares memory with the input, so do not reuse or modify `bytes` while the model is in
// use (copy the data first if you must). Unaligned runs are copied into a fresh aligned buffer.
// Optional collections (valueInfo, metadata) are always present in the result, empty when the file
// has none; optional strings (producerVersion, node domain) are absent when empty.
import { ActionLensError } from '../../../core/errors.js';
import { ONNX_DATA_TYPES, elementCount, type OnnxDataType, type OnnxTensorData } from './dtypes.js';
import type { Dim, OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxValueInfo } from './onnx-proto.js';
import { ProtoReader } from './protobuf-reader.js';
import { concatChunks } from './protobuf-writer.js';

const DTYPES = new Map(Object.entries(ONNX_DATA_TYPES).map(([name, n]) => [n as number, name as OnnxDataType]));
const ELEMENT_BYTES: Record<OnnxDataType, number> = { float32: 4, uint8: 1, int8: 1, int32: 4, int64: 8, bool: 1, float16: 2 };
/** TensorProto.DataType names, to say which type a file uses that we cannot represent. */
const ONNX_TYPE_NAMES = ['UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL', 'FLOAT16',
  'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16', 'FLOAT8E4M3FN', 'FLOAT8E4M3FNUZ', 'FLOAT8E5M2',
  'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1'];
/** AttributeProto.AttributeType numbers and names; GRAPH, TENSORS, SPARSE_TENSOR etc. are not representable. */
const ATTRIBUTE_KINDS: Partial<Record<number, OnnxAttribute['type']>> = { 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 6: 'floats', 7: 'ints', 8: 'strings' };
const ATTRIBUTE_TYPE_NAMES = ['UNDEFINED', 'FLOAT', 'INT', 'STRING', 'TENSOR', 'GRAPH', 'FLOATS', 'INTS', 'STRINGS', 'TENSORS',
  'GRAPHS', 'SPARSE_TENSOR', 'SPARSE_TENSORS', 'TYPE_PROTO', 'TYPE_PROTOS'];
/** Value field → attribute type, for old files that leave AttributeProto.type unset. */
const TYPE_OF_VALUE_FIELD: Partial<Record<number, number>> = { 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8, 10: 9, 11: 10, 22: 11, 23: 12, 14: 13, 15: 14 };

function unsupported(problem: string, hint: string): ActionLensError {
  return new ActionLensError('AL_ERR_CONVERSION_FAILED', `ONNX model: ${problem}.`, { hint });
}

export function decodeModel(bytes: Uint8Array): OnnxModel {
  const r = new ProtoReader(bytes, 'ONNX model');
  let irVersion = 0;
  let producerName = '';
  let producerVersion = '';
  let graph: OnnxGraph | undefined;
  const opsets: { domain: string; version: number }[] = [];
  const metadata: [string, string][] = [];
  while (r.next()) {
    switch (r.field) {
      case 1: irVersion = r.safeInt('ir_version'); break;
      case 2: producerName = r.string(); break;
      case 3: producerVersion = r.string(); break;
      case 7: graph = readGraph(r.message('graph')); break;
      case 8: opsets.push(readOpset(r.message('opset_import'))); break;
      case 14: metadata.push(readEntry(r.message('metadata_props'))); break;
      case 25: throw unsupported('the model defines local functions (FunctionProto), which cannot be read', 'Inline the functions when exporting the model.');
      default: r.skip();
    }
  }
  if (!graph) throw r.fail('no graph (ModelProto field 7) found');
  // fromEntries, not assignment: a key such as "__proto__" stays an ordinary entry.
  return { irVersion, producerName, ...(producerVersion ? { producerVersion } : {}), opsets, metadata: Object.fromEntries(metadata), graph };
}

function readOpset(r: ProtoReader): { domain: string; version: number } {
  let domain = '';
  let version = 0;
  while (r.next()) {
    if (r.field === 1) domain = r.string();
    else if (r.field === 2) version = r.safeInt('opset version');
    else r.skip();
  }
  return { domain, version };
}

function readEntry(r: ProtoReader): [string, string] {
  let key = '';
  let value = '';
  while (r.next()) {
    if (r.field === 1) key = r.string();
    else if (r.field === 2) value = r.string();
    else r.skip();
  }
  return [key, value];
}

function readGraph(r: ProtoReader): OnnxGraph {
  let name = '';
  const nodes: OnnxNode[] = [];
  const initializers: (OnnxTensorData & { name: string })[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const valueInfo: OnnxValueInfo[] = [];
  while (r.next()) {
    switch (r.field) {
      case 1: nodes.push(readNode(r.message('node'))); break;
      case 2: name = r.string(); break;
      case 5: {
        const t = readTensor(r.message('initializer'), 'initializer');
        initializers.push({ ...t.tensor, name: t.name });
        break;
      }
      case 11: inputs.push(readValueInfo(r.message('input'), 'input')); break;
      case 12: outputs.push(readValueInfo(r.message('output'), 'output')); break;
      case 13: valueInfo.push(readValueInfo(r.message('value_info'), 'value_info')); break;
      case 15: throw unsupported('the graph has sparse initializers, which cannot be read', 'Store the initializers densely when exporting the model.');
      default: r.skip();
    }
  }
  return { name, nodes, initializers, inputs, outputs, valueInfo };
}

function readNode(r: ProtoReader): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributeReaders: ProtoReader[] = [];
  let name = '';
  let opType = '';
  let domain = '';
  while (r.next()) {
    switch (r.field) {
      case 1: inputs.push(r.string()); break;
      case 2: outputs.push(r.string()); break;
      case 3: name = r.string(); break;
      case 4: opType = r.string(); break;
      case 5: attributeReaders.push(r.message('attribute')); break;
      case 7: domain = r.string(); break;
      default: r.skip();
    }
  }
  // Attributes are decoded once the node's name is known, so their errors can name it.
  const attributes = Object.fromEntries(attributeReaders.map((a) => readAttribute(a, `node "${name}" (${opType})`)));
  return { opType, ...(domain ? { domain } : {}), name, inputs, outputs, attributes };
}

function readAttribute(r: ProtoReader, node: string): [string, OnnxAttribute] {
  let name = '';
  let type = 0;
  let firstValueField = 0;
  let f = 0;
  let i: number | bigint = 0;
  let s = '';
  let tensor: ProtoReader | undefined;
  const floats: Uint8Array[] = [];
  const ints: (number | bigint)[] = [];
  const strings: string[] = [];
  while (r.next()) {
    if (!firstValueField && TYPE_OF_VALUE_FIELD[r.field]) firstValueField = r.field;
    switch (r.field) {
      case 1: name = r.string(); break;
      case 20: type = r.safeInt('attribute type'); break;
      case 2: f = r.float(); break;
      case 3: i = r.int(); break;
      case 4: s = r.string(); break;
      case 5: tensor = r.message('t'); break;
      case 7: floats.push(r.fixed32Bytes()); break;
      case 8: r.ints(ints); break;
      case 9: strings.push(r.string()); break;
      default: r.skip();
    }
  }
  if (!type) type = TYPE_OF_VALUE_FIELD[firstValueField] ?? 0;
  const what = `attribute "${name}" of ${node}`;
  switch (ATTRIBUTE_KINDS[type]) {
    case 'float': return [name, { type: 'float', value: f }];
    case 'int': return [name, { type: 'int', value: i }];
    case 'string': return [name, { type: 'string', value: s }];
    case 'tensor': {
      if (!tensor) throw unsupported(`${what} is a tensor attribute without a tensor`, 'The file is malformed; re-export the model.');
      return [name, { type: 'tensor', value: readTensor(tensor, what).tensor }];
    }
    case 'floats': return [name, { type: 'floats', value: Array.from(viewAs('float32', concat(floats), what) as Float32Array) }];
    case 'ints': return [name, { type: 'ints', value: ints }];
    case 'strings': return [name, { type: 'strings', value: strings }];
    default:
      throw unsupported(`${what} has type ${ATTRIBUTE_TYPE_NAMES[type] ?? type}, which cannot be represented (subgraphs, tensor lists and sparse tensors are not supported)`,
        'Only float, int, string, tensor, floats, ints and strings attributes can be read.');
  }
}

function readTensor(r: ProtoReader, label: string): { name: string; tensor: OnnxTensorData } {
  const dims: (number | bigint)[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  let external = false;
  const floatData: Uint8Array[] = [];
  const int32Data: (number | bigint)[] = [];
  const int64Data: (number | bigint)[] = [];
  while (r.next()) {
    switch (r.field) {
      case 1: r.ints(dims); break;
      case 2: dataType = r.safeInt('data_type'); break;
      case 4: floatData.push(r.fixed32Bytes()); break;
      case 5: r.ints(int32Data); break;
      case 7: r.ints(int64Data); break;
      case 8: name = r.string(); break;
      case 9: raw = r.bytes(); break;
      case 13: external = true; r.skip(); break;
      case 14: if (r.int() === 1) external = true; break; // data_location EXTERNAL
      default: r.skip();
    }
  }
  const what = name ? `${label} "${name}"` : label;
  const dtype = DTYPES.get(dataType);
  if (!dtype) {
    throw unsupported(`${what} has data type ${ONNX_TYPE_NAMES[dataType] ?? dataType}, which cannot be represented`,
      `Supported element types: ${[...DTYPES.values()].join(', ')}. Convert the tensor (e.g. double to float32) when exporting.`);
  }
  if (external) throw unsupported(`${what} keeps its data in an external file, which cannot be read`, 'Save the model with its weights embedded (a single .onnx file under 2 GB).');
  if (dims.some((d) => typeof d !== 'number' || d < 0)) throw unsupported(`${what} has invalid dims [${dims.join(', ')}]`, 'The file is malformed; re-export the model.');
  const data = raw ? viewAs(dtype, raw, what) : typedData(dtype, floatData, int32Data, int64Data, what);
  const count = elementCount(dims as number[]);
  if (data.length !== count) {
    throw unsupported(`${what} has dims [${dims.join(', ')}] (${count} values) but ${data.length} values of data`, 'The file is malformed; re-export the model.');
  }
  return { name, tensor: { dtype, dims, data } as OnnxTensorData };
}

/** Data from the typed repeated fields that some tools write instead of raw_data (small tensors in practice). */
function typedData(dtype: OnnxDataType, floatData: Uint8Array[], int32Data: (number | bigint)[], int64Data: (number | bigint)[], what: string): OnnxTensorData['data'] {
  switch (dtype) {
    case 'float32': return viewAs('float32', concat(floatData), what);
    case 'int64': return BigInt64Array.from(int64Data, (v) => BigInt(v));
    case 'int32': return Int32Array.from(int32Data, Number);
    case 'int8': return Int8Array.from(int32Data, Number);
    case 'uint8': case 'bool': return Uint8Array.from(int32Data, Number);
    case 'float16': return Uint16Array.from(int32Data, Number); // the half-float bits, as ONNX stores them
  }
}

/** Little-endian bytes as the dtype's typed array: a view when aligned, else one copy. */
function viewAs(dtype: OnnxDataType, bytes: Uint8Array, what: string): OnnxTensorData['data'] {
  const size = ELEMENT_BYTES[dtype];
  if (bytes.byteLength % size !== 0) throw unsupported(`${what}: ${bytes.byteLength} bytes of ${dtype} data is not a whole number of values`, 'The file is malformed; re-export the model.');
  // Typed arrays need an offset that is a multiple of the element size; a copy starts at 0
  // (Uint8Array.prototype.slice: a Node Buffer's own slice() returns a view, not a copy).
  const b = bytes.byteOffset % size === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  const n = b.byteLength / size;
  switch (dtype) {
    case 'float32': return new Float32Array(b.buffer, b.byteOffset, n);
    case 'int64': return new BigInt64Array(b.buffer, b.byteOffset, n);
    case 'int32': return new Int32Array(b.buffer, b.byteOffset, n);
    case 'int8': return new Int8Array(b.buffer, b.byteOffset, n);
    case 'uint8': case 'bool': return b;
    case 'float16': return new Uint16Array(b.buffer, b.byteOffset, n);
  }
}

/** Joins chunks; a single chunk is returned as is (no copy). */
function concat(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : concatChunks(chunks);
}

function readValueInfo(r: ProtoReader, role: string): OnnxValueInfo {
  let name = '';
  let type: ProtoReader | undefined;
  while (r.next()) {
    if (r.field === 1) name = r.string();
    else if (r.field === 2) type = r.message('type');
    else r.skip();
  }
  const what = `graph ${role} "${name}"`;
  let tensorType: ProtoReader | undefined;
  while (type?.next()) {
    if (type.field === 1) tensorType = type.message('tensor_type');
    else type.skip();
  }
  if (!tensorType) throw unsupported(`${what} is not a tensor (no tensor type; sequences, maps, optionals and sparse tensors are not supported)`, 'Only dense tensor values can be read.');
  let elemType = 0;
  let dims: Dim[] | undefined;
  while (tensorType.next()) {
    if (tensorType.field === 1) elemType = tensorType.safeInt('elem_type');
    else if (tensorType.field === 2) dims = readShape(tensorType.message('shape'));
    else tensorType.skip();
  }
  const dtype = DTYPES.get(elemType);
  if (!dtype) {
    throw unsupported(`${what} has element type ${ONNX_TYPE_NAMES[elemType] ?? elemType}, which cannot be represented`,
      `Supported element types: ${[...DTYPES.values()].join(', ')}.`);
  }
  return { name, dtype, ...(dims ? { dims } : {}) };
}

function readShape(r: ProtoReader): Dim[] {
  const dims: Dim[] = [];
  while (r.next()) {
    if (r.field !== 1) {
      r.skip();
      continue;
    }
    const d = r.message('dim');
    let dim: Dim;
    while (d.next()) {
      if (d.field === 1) dim = d.safeInt('dim_value');
      else if (d.field === 2) dim = d.string();
      else d.skip();
    }
    dims.push(dim);
  }
  return dims;
}
