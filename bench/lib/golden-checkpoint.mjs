// Writes an MMAction2-style checkpoint (torch zip format, OpenMMLab `{meta, state_dict}`, the state
// dict an OrderedDict) filled with the golden generator's deterministic weights, straight to a file,
// one storage at a time, so a 100 MB checkpoint never sits in this process's memory whole.
// The benches need real-size .pth files without downloads; the tests build theirs in memory with
// tests/pth/helpers (which also write hostile variants). Layout as torch.save: stored entries,
// record data 64-byte aligned through a local extra field.
import { closeSync, openSync, writeSync } from 'node:fs';
import { importDist } from './dist-import.mjs';

const { goldenTensor } = await importDist('models/converters/mmaction2/golden-weights.js');
const { crc32 } = await importDist('models/converters/pth/crc32.js');

const utf8 = (s) => Buffer.from(s, 'utf8');

/** Protocol-2 pickle opcodes, just the ones a state dict needs. */
class Pickle {
  parts = [];
  op(...bytes) { this.parts.push(Buffer.from(bytes)); return this; }
  str(s) { const b = utf8(s); const n = Buffer.alloc(5); n[0] = 0x58; n.writeUInt32LE(b.length, 1); this.parts.push(n, b); return this; } // BINUNICODE
  int(v) { const b = Buffer.alloc(5); b[0] = 0x4a; b.writeInt32LE(v, 1); this.parts.push(b); return this; } // BININT
  global(module, name) { this.parts.push(utf8(`c${module}\n${name}\n`)); return this; } // GLOBAL
  ints(values) { this.op(0x28); for (const v of values) this.int(v); return this.op(0x74); } // MARK ... TUPLE
  orderedDict() { return this.global('collections', 'OrderedDict').op(0x29, 0x52); } // EMPTY_TUPLE REDUCE
  bytes() { return Buffer.concat(this.parts); }
}

const numel = (shape) => shape.reduce((n, d) => n * d, 1);
const contiguousStrides = (shape) => shape.map((_, i) => numel(shape.slice(i + 1)));

/** The pickle of `{meta: {...}, state_dict: OrderedDict(key -> tensor)}`; storage i is entry i. */
function statePickle(entries) {
  const p = new Pickle().op(0x80, 2).op(0x7d, 0x28); // PROTO 2, EMPTY_DICT, MARK
  p.str('meta').op(0x7d, 0x28).str('mmaction2_version').str('1.2.0').op(0x75); // {..} SETITEMS
  p.str('state_dict').orderedDict();
  entries.forEach((entry, i) => {
    p.str(entry.key);
    p.global('torch._utils', '_rebuild_tensor_v2').op(0x28); // MARK
    // Persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel) -> BINPERSID
    p.op(0x28).str('storage').global('torch', entry.dtype === 'int64' ? 'LongStorage' : 'FloatStorage').str(String(i)).str('cpu').int(numel(entry.shape)).op(0x74, 0x51);
    p.int(0).ints(entry.shape).ints(contiguousStrides(entry.shape)).op(0x89).orderedDict(); // offset, size, stride, False, hooks
    p.op(0x74, 0x52, 0x73); // TUPLE REDUCE SETITEM
  });
  return p.op(0x75, 0x2e).bytes(); // SETITEMS STOP
}

/**
 * Writes `entries` ({key, shape, dtype: 'float32' | 'int64'}) as a golden-weight checkpoint at
 * `file`; returns its size in bytes. int64 tensors (num_batches_tracked) are zeros.
 */
export function writeGoldenCheckpointFile(file, entries, { prefix = 'archive' } = {}) {
  const fd = openSync(file, 'w');
  let offset = 0;
  const central = [];
  const put = (bytes) => { writeSync(fd, bytes); offset += bytes.length; };
  const record = (name, data) => {
    const nameBytes = utf8(`${prefix}/${name}`);
    const crc = crc32(data);
    const pad = (64 - ((offset + 30 + nameBytes.length + 4) % 64)) % 64;
    const local = Buffer.alloc(30 + nameBytes.length + 4 + pad);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed; flags 0, method 0 (stored)
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(4 + pad, 28);
    nameBytes.copy(local, 30);
    local.writeUInt16LE(0x4246, 30 + nameBytes.length); // torch's 'FB' padding field
    local.writeUInt16LE(pad, 32 + nameBytes.length);
    central.push({ nameBytes, crc, size: data.length, headerOffset: offset });
    put(local);
    put(data);
  };
  try {
    record('data.pkl', statePickle(entries));
    record('byteorder', utf8('little'));
    entries.forEach((entry, i) => {
      const data = entry.dtype === 'int64' ? new BigInt64Array(numel(entry.shape)) : goldenTensor(entry.key, entry.shape);
      record(`data/${i}`, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    record('version', utf8('3\n'));
    const cdOffset = offset;
    for (const c of central) {
      const h = Buffer.alloc(46 + c.nameBytes.length);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt32LE(c.crc, 16);
      h.writeUInt32LE(c.size, 20);
      h.writeUInt32LE(c.size, 24);
      h.writeUInt16LE(c.nameBytes.length, 28);
      h.writeUInt32LE(c.headerOffset, 42);
      c.nameBytes.copy(h, 46);
      put(h);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(central.length, 8);
    end.writeUInt16LE(central.length, 10);
    end.writeUInt32LE(offset - cdOffset, 12);
    end.writeUInt32LE(cdOffset, 16);
    put(end);
  } finally {
    closeSync(fd);
  }
  return offset;
}

/**
 * The state-dict entries an MMAction2 model dict declares, in build order: the family's builder run
 * on a recording weight source (zeros, nothing converted to ONNX weights of value).
 */
export async function declaredEntries(modelDict, viewShape) {
  const { builderFor } = await importDist('models/converters/mmaction2/convert-checkpoint.js');
  const { createDeclarationLog } = await importDist('models/converters/mmaction2/weight-source.js');
  const log = createDeclarationLog();
  const recorder = {
    param(key, shape) { log.record(key, shape, 'float32'); return new Float32Array(numel(shape)); },
    buffer(key, shape, dtype) { log.record(key, shape, dtype); },
    declared: () => log.entries(),
  };
  builderFor(modelDict.backbone.type)(structuredClone(modelDict), recorder, { viewShape });
  return log.entries().map((d) => ({ key: d.key, shape: [...d.shape], dtype: d.dtype === 'int64' ? 'int64' : 'float32' }));
}
