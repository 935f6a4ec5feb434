// Lists the op type of every node in an ONNX file's main graph with a minimal protobuf walk
// (ModelProto.graph = 7, GraphProto.node = 1, NodeProto.op_type = 4), so the profile can show
// what ONNX Runtime's optimised graph holds without a protobuf dependency.

function readVarint(bytes, at) {
  let value = 0;
  let shift = 1;
  for (;;) {
    const b = bytes[at.pos++];
    value += (b & 0x7f) * shift;
    if (b < 0x80) return value;
    shift *= 128;
  }
}

/** Yields [fieldNumber, payload] for length-delimited fields; skips the others. */
function* fields(bytes) {
  const at = { pos: 0 };
  while (at.pos < bytes.length) {
    const key = readVarint(bytes, at);
    const field = Math.floor(key / 8);
    switch (key & 7) {
      case 0: readVarint(bytes, at); break;
      case 1: at.pos += 8; break;
      case 5: at.pos += 4; break;
      case 2: {
        const length = readVarint(bytes, at);
        yield [field, bytes.subarray(at.pos, at.pos + length)];
        at.pos += length;
        break;
      }
      default: throw new Error(`onnx-op-types: wire type ${key & 7} at byte ${at.pos} is not valid protobuf.`);
    }
  }
}

/** @param {Uint8Array} modelBytes @returns {string[]} op types in graph order */
export function readOnnxOpTypes(modelBytes) {
  const decoder = new TextDecoder();
  const ops = [];
  for (const [field, graph] of fields(modelBytes)) {
    if (field !== 7) continue;
    for (const [nodeField, node] of fields(graph)) {
      if (nodeField !== 1) continue;
      for (const [attr, value] of fields(node)) if (attr === 4) ops.push(decoder.decode(value));
    }
  }
  return ops;
}
