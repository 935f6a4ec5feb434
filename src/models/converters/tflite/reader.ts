// Reads a TFLite flatbuffer into plain data (first subgraph, signatures, constant buffers).
import { FlatTable, invalid } from './flatbuffer-table.js';
import {
  BUILTIN_OPERATORS,
  TENSOR_TYPES,
  type TfliteModel,
  type TfliteOperator,
  type TfliteQuantization,
  type TfliteSignature,
  type TfliteTensor,
  type TfliteTensorType,
} from './schema.js';

const FILE_IDENTIFIER = 'TFL3';
// schema.fbs field indices
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, signatureDefs: 7 };
const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, builtinCode: 3 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5 };
const QUANT = { scale: 2, zeroPoint: 3, quantizedDimension: 6 };
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptions: 4 };
const BUFFER = { data: 0, offset: 1, size: 2 };
const SIGNATURE = { inputs: 0, outputs: 1, key: 2, subgraphIndex: 4 };
const TENSOR_MAP = { name: 0, tensorIndex: 1 };
// Builtin codes above 127 do not fit the deprecated int8 field, which then holds this value.
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  if (bytes.byteLength < 16) throw invalid(`the file is only ${bytes.byteLength} bytes long`);
  const ident = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
  if (ident !== FILE_IDENTIFIER) {
    throw invalid(`the file identifier at bytes 4..8 is ${JSON.stringify(ident)}, expected "${FILE_IDENTIFIER}"`);
  }
  try {
    return readModelTable(FlatTable.root(bytes), bytes);
  } catch (e) {
    if (e instanceof Error && e.name === 'ActionLensError') throw e;
    throw invalid(`the flatbuffer is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
}

function readModelTable(model: FlatTable, bytes: Uint8Array): TfliteModel {
  const opNames = model.tables(MODEL.operatorCodes).map(readOpName);
  const buffers = model.tables(MODEL.buffers).map((b) => readBuffer(b, bytes));
  const subgraphs = model.tables(MODEL.subgraphs);
  if (subgraphs.length === 0) throw invalid('the model has no subgraph');
  const graph = subgraphs[0];

  const tensors = graph.tables(SUBGRAPH.tensors).map((t, index): TfliteTensor => {
    const typeCode = t.int8(TENSOR.type);
    const bufferIndex = t.uint32(TENSOR.buffer);
    const data = buffers[bufferIndex];
    const q = t.table(TENSOR.quantization);
    return {
      index,
      name: t.string(TENSOR.name) ?? `tensor_${index}`,
      shape: Array.from(t.int32s(TENSOR.shape)),
      type: (TENSOR_TYPES as Record<number, TfliteTensorType>)[typeCode] ?? 'unknown',
      data: data && data.byteLength > 0 ? data : undefined,
      quantization: q ? readQuantization(q) : undefined,
      isVariable: t.bool(TENSOR.isVariable),
    };
  });

  const operators = graph.tables(SUBGRAPH.operators).map((op, index): TfliteOperator => {
    const opcodeIndex = op.uint32(OPERATOR.opcodeIndex);
    if (opcodeIndex >= opNames.length) {
      throw invalid(`operator ${index} uses opcode index ${opcodeIndex}, but only ${opNames.length} opcodes exist`);
    }
    return {
      index,
      opName: opNames[opcodeIndex],
      inputs: Array.from(op.int32s(OPERATOR.inputs)),
      outputs: Array.from(op.int32s(OPERATOR.outputs)),
      options: op.table(OPERATOR.builtinOptions),
    };
  });

  const signatures = model.tables(MODEL.signatureDefs).map(
    (s): TfliteSignature => ({
      key: s.string(SIGNATURE.key) ?? 'serving_default',
      inputs: s.tables(SIGNATURE.inputs).map(readTensorMap),
      outputs: s.tables(SIGNATURE.outputs).map(readTensorMap),
    }),
  );

  return {
    version: model.uint32(MODEL.version),
    description: model.string(MODEL.description),
    tensors,
    operators,
    inputs: Array.from(graph.int32s(SUBGRAPH.inputs)),
    outputs: Array.from(graph.int32s(SUBGRAPH.outputs)),
    signatures,
  };
}

function readOpName(code: FlatTable): string {
  // Old files only set the int8 deprecated field; new ones set both (or the placeholder 127).
  const deprecated = code.int8(OPERATOR_CODE.deprecatedBuiltinCode);
  const builtin = Math.max(code.int32(OPERATOR_CODE.builtinCode), deprecated === PLACEHOLDER_FOR_GREATER_OP_CODES ? 0 : deprecated);
  if (builtin === 32) return `CUSTOM:${code.string(OPERATOR_CODE.customCode) ?? '?'}`;
  return BUILTIN_OPERATORS[builtin] ?? `BUILTIN_${builtin}`;
}

function readBuffer(buffer: FlatTable, bytes: Uint8Array): Uint8Array | undefined {
  const inline = buffer.bytes(BUFFER.data);
  if (inline.byteLength > 0) return inline;
  // Models over 2 GB keep buffers after the flatbuffer, addressed by offset/size (offset 1 = none).
  const offset = Number(buffer.uint64(BUFFER.offset));
  const size = Number(buffer.uint64(BUFFER.size));
  if (offset <= 1 || size === 0) return undefined;
  if (offset + size > bytes.byteLength) throw invalid(`a buffer at offset ${offset} (+${size}) runs past the end of the file`);
  return bytes.subarray(offset, offset + size);
}

function readQuantization(q: FlatTable): TfliteQuantization | undefined {
  const scale = q.float32s(QUANT.scale);
  if (scale.length === 0) return undefined;
  return { scale, zeroPoint: q.int64s(QUANT.zeroPoint), quantizedDimension: q.int32(QUANT.quantizedDimension) };
}

function readTensorMap(m: FlatTable): { name: string; tensorIndex: number } {
  return { name: m.string(TENSOR_MAP.name) ?? '', tensorIndex: m.uint32(TENSOR_MAP.tensorIndex) };
}
