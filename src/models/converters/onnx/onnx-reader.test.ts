// decodeModel against encodeModel (round trips), onnxruntime (decoded models still run, and files
// written by onnxruntime itself decode), hand-built protobuf bytes (unaligned raw_data, typed data
// fields, unknown fields) and broken input (truncation, bad wire types, unsupported types).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../../core/errors.js';
import { attr, createGraphBuilder, decodeModel, tensors } from './index.js';
import { encodeModel, type OnnxModel } from './onnx-proto.js';
import { ProtoWriter } from './protobuf-writer.js';

const BIG = 2n ** 60n + 7n;

/** A model using every attribute kind, every dtype, symbolic/numeric/unknown dims and metadata. */
function sampleModel(): OnnxModel {
  return {
    irVersion: 8,
    producerName: 'actionlens-test',
    producerVersion: '1.2.3',
    opsets: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }, { domain: 'ai.onnx.ml', version: 3 }],
    metadata: { labels: 'a,b,c', 'ünïcode': '✓ ok' },
    graph: {
      name: 'sample',
      nodes: [
        {
          opType: 'Custom', domain: 'com.microsoft', name: 'n0', inputs: ['x', '', 'w'], outputs: ['y', 'z'],
          attributes: {
            f: { type: 'float', value: -1.25 },
            zero: { type: 'float', value: 0 },
            i: { type: 'int', value: -3 },
            safe: { type: 'int', value: Number.MAX_SAFE_INTEGER },
            big: { type: 'int', value: BIG },
            negBig: { type: 'int', value: -(2n ** 62n) },
            s: { type: 'string', value: 'héllo' },
            t: { type: 'tensor', value: tensors.int64([1, -2, BIG], [3]) },
            fs: { type: 'floats', value: [0.5, -2, 1024.125] },
            is: { type: 'ints', value: [0, -1, 2 ** 40, -(2n ** 63n), 2n ** 63n - 1n] },
            ss: { type: 'strings', value: ['a', '', 'ç'] },
            emptyInts: { type: 'ints', value: [] },
          },
        },
        { opType: 'Relu', name: '', inputs: ['y'], outputs: ['r'], attributes: {} },
      ],
      initializers: [
        { ...tensors.float32([1.5, -2, 3.25, 0], [2, 2]), name: 'w' },
        { ...tensors.int64([-1n, 2n ** 62n, 0n], [3]), name: 'i64' },
        { ...tensors.int32([-7, 2 ** 31 - 1], [2]), name: 'i32' },
        { ...tensors.int8([-128, 0, 127], [3]), name: 'i8' },
        { ...tensors.uint8([0, 200, 255], [3]), name: 'u8' },
        { ...tensors.bool([true, false, true, true], [2, 2]), name: 'b' },
        { dtype: 'float16', dims: [2], data: Uint16Array.from([0x3c00, 0xc000]), name: 'h' },
        { ...tensors.float32([42], []), name: 'scalar' },
        { ...tensors.float32([], [0, 3]), name: 'empty' },
      ],
      inputs: [{ name: 'x', dtype: 'float32', dims: ['batch', 3, undefined, 224] }],
      outputs: [{ name: 'r', dtype: 'float16', dims: [] }, { name: 'z', dtype: 'bool' }],
      valueInfo: [{ name: 'y', dtype: 'int8', dims: [1, 'n'] }],
    },
  };
}

function expectConversionError(run: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ActionLensError);
  expect((caught as ActionLensError).code).toBe('AL_ERR_CONVERSION_FAILED');
  if (message) expect((caught as ActionLensError).message).toMatch(message);
}

/** A minimal model around one hand-written TensorProto initializer. */
function modelWithTensor(writeTensor: (t: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8);
  w.message(7, (g) => {
    g.string(2, 'g');
    g.message(5, writeTensor);
  });
  return w.finish();
}

/** The offset of `needle` in `hay`, or -1. */
function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('decodeModel', () => {
  it('round trips a model with every attribute kind, dtype and dim kind', () => {
    const model = sampleModel();
    const decoded = decodeModel(encodeModel(model));
    expect(decoded).toEqual(model);
    const attrs = decoded.graph.nodes[0]!.attributes;
    expect(attrs.big).toEqual({ type: 'int', value: BIG }); // beyond 2^53 stays exact, as a bigint
    expect(typeof (attrs.safe as { value: unknown }).value).toBe('number');
    const kinds = decoded.graph.initializers.map((t) => t.data.constructor.name);
    expect(kinds).toEqual(['Float32Array', 'BigInt64Array', 'Int32Array', 'Int8Array', 'Uint8Array', 'Uint8Array', 'Uint16Array', 'Float32Array', 'Float32Array']);
  });

  it('gives ints that fit as numbers even when they were written as bigints', () => {
    const model = sampleModel();
    const node = { ...model.graph.nodes[1]!, attributes: { a: attr.int(5n), b: attr.ints([1n, -2n, 2n ** 53n]) } };
    const decoded = decodeModel(encodeModel({ ...model, graph: { ...model.graph, nodes: [node] } }));
    expect(decoded.graph.nodes[0]!.attributes).toEqual({ a: { type: 'int', value: 5 }, b: { type: 'ints', value: [1, -2, 2n ** 53n] } });
  });

  it('decodes builder graphs so that re-encoding gives the same bytes', () => {
    const g = createGraphBuilder('builder');
    const x = g.input('x', 'float32', ['n', 4]);
    const w = g.constant('w', tensors.float32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [4, 3]));
    const [y] = g.node('MatMul', [x, w], {}, { outputInfo: [{ dtype: 'float32', dims: ['n', 3] }] });
    const [z] = g.node('LeakyRelu', [y!], { alpha: attr.float(0.25) });
    const [t] = g.node('Transpose', [z!], { perm: [1, 0] });
    g.node('Custom', [t!], { big: -(2n ** 60n), mode: 'fast', names: ['p', 'q'], c: attr.tensor(tensors.int8([-1, 1])) }, { domain: 'x.y', outputs: ['out'] });
    g.output('out', 'float32', [3, 'n']);
    const bytes = g.toModel({ producer: 'builder-test', extraOpsets: [{ domain: 'x.y', version: 2 }], metadata: { k: 'v' }, emitValueInfo: true });
    const decoded = decodeModel(bytes);
    expect(encodeModel(decoded)).toEqual(bytes);
    expect(decoded.opsets).toEqual([{ domain: '', version: 17 }, { domain: 'x.y', version: 2 }]);
    expect(decoded.graph.valueInfo).toEqual([{ name: y, dtype: 'float32', dims: ['n', 3] }]);
    expect(decoded.graph.nodes.map((n) => n.opType)).toEqual(['MatMul', 'LeakyRelu', 'Transpose', 'Custom']);
    expect(decoded.graph.nodes[3]).toMatchObject({ domain: 'x.y', attributes: { big: { type: 'int', value: -(2n ** 60n) }, mode: { type: 'string', value: 'fast' } } });
  });

  describe('with onnxruntime', () => {
    /** A graph touching every dtype: int8/uint8 via DequantizeLinear, float16 via Cast, bool via Where, int64 via Gather/Reshape. */
    function buildRunnable(): Uint8Array {
      const g = createGraphBuilder('runnable');
      const x = g.input('x', 'float32', ['n', 4]);
      const w = g.constant('w', tensors.float32(Array.from({ length: 12 }, (_, i) => (i - 5) / 4), [4, 3]));
      const [mm] = g.node('MatMul', [x, w]);
      const [h] = g.node('Add', [mm!, g.constant('b', tensors.float32([0.5, -1, 2]))]);
      const [lr] = g.node('LeakyRelu', [h!], { alpha: attr.float(0.125) });
      const [dq8] = g.node('DequantizeLinear', [g.constant('q8', tensors.int8([-128, 3, 127])), g.constant('s8', tensors.float32([0.5], [])), g.constant('z8', tensors.int8([1], []))]);
      const [dqu] = g.node('DequantizeLinear', [g.constant('qu', tensors.uint8([0, 128, 255])), g.constant('su', tensors.float32([0.25], [])), g.constant('zu', tensors.uint8([128], []))]);
      const [half] = g.node('Cast', [g.constant('h', { dtype: 'float16', dims: [3], data: Uint16Array.from([0x3c00, 0x3800, 0xc000]) })], { to: 1 });
      const [a1] = g.node('Mul', [lr!, dq8!]);
      const [a2] = g.node('Add', [a1!, dqu!]);
      const [a3] = g.node('Add', [a2!, half!]);
      const [neg] = g.node('Neg', [a3!]);
      const [sel] = g.node('Where', [g.constant('cond', tensors.bool([true, false, true])), a3!, neg!]);
      const [tr] = g.node('Transpose', [sel!], { perm: [1, 0] });
      const [ga] = g.node('Gather', [tr!, g.constant('idx', tensors.int64([2, -3]))], { axis: 0 });
      g.node('Reshape', [ga!, g.constant('shape', tensors.int64([-1]))], {}, { outputs: ['flat'] });
      g.output('flat', 'float32', [undefined]);
      const [shape] = g.node('Shape', [x]);
      const [shape32] = g.node('Cast', [shape!], { to: 6 });
      g.node('Add', [shape32!, g.constant('off', tensors.int32([-1, 1000]))], {}, { outputs: ['dims'] });
      g.output('dims', 'int32', [2]);
      return g.toModel({ producer: 'ort-test', metadata: { purpose: 'round trip' } });
    }

    async function run(model: Uint8Array | string): Promise<Record<string, unknown[]>> {
      const session = await ort.InferenceSession.create(model as Uint8Array);
      try {
        const x = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i) * 3);
        const out = await session.run({ x: new ort.Tensor('float32', x, [2, 4]) });
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as ArrayLike<unknown>)]));
      } finally {
        await session.release();
      }
    }

    it('a decoded and re-encoded builder model gives the same outputs', async () => {
      const original = buildRunnable();
      const expected = await run(original);
      expect(expected.flat).toHaveLength(4);
      expect(expected.dims).toEqual([1, 1004]);
      expect(await run(encodeModel(decodeModel(original)))).toEqual(expected);
    });

    it('decodes the optimized model onnxruntime itself writes', async () => {
      const original = buildRunnable();
      const dir = mkdtempSync(join(tmpdir(), 'onnx-reader-'));
      try {
        const path = join(dir, 'optimized.onnx');
        const session = await ort.InferenceSession.create(original, { graphOptimizationLevel: 'basic', optimizedModelFilePath: path });
        await session.release();
        const written = new Uint8Array(readFileSync(path));
        const decoded = decodeModel(written);
        expect(decoded.graph.outputs.map((o) => o.name)).toEqual(['flat', 'dims']);
        // Constant folding turns the dequantize/cast chains into new float32 initializers.
        expect(decoded.graph.nodes.length).toBeLessThan(17);
        expect(await run(encodeModel(decoded))).toEqual(await run(original));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('tensor data', () => {
    const values = Float32Array.from([1.5, -2, 3.25]);
    const valueBytes = new Uint8Array(values.buffer);

    it('copies raw_data that starts at an unaligned offset, and views aligned raw_data', () => {
      const seen = new Set<number>();
      for (let pad = 0; pad < 4; pad++) {
        const bytes = modelWithTensor((t) => {
          t.packedInts(1, [3]);
          t.int(2, 1);
          t.string(8, 'w'.repeat(pad + 1)); // shifts where raw_data starts
          t.bytes(9, valueBytes);
        });
        const at = indexOf(bytes, valueBytes);
        seen.add(at % 4);
        const data = decodeModel(bytes).graph.initializers[0]!.data as Float32Array;
        expect(Array.from(data)).toEqual(Array.from(values));
        expect(data.byteOffset % 4).toBe(0);
        // Aligned raw_data is a view that shares memory with the input; unaligned data is a copy.
        expect(data.buffer === bytes.buffer).toBe(at % 4 === 0);
      }
      expect(seen).toEqual(new Set([0, 1, 2, 3]));
    });

    it('reads a model lying at any offset inside a larger buffer', () => {
      const model = sampleModel();
      const bytes = encodeModel(model);
      for (let shift = 0; shift < 8; shift++) {
        const holder = new Uint8Array(bytes.length + 16).fill(0xff);
        holder.set(bytes, shift);
        expect(decodeModel(holder.subarray(shift, shift + bytes.length))).toEqual(model);
      }
    });

    it('reads float_data, int32_data and int64_data, packed or not', () => {
      const packed = modelWithTensor((t) => {
        t.string(8, 'f');
        t.packedInts(1, [2, 2]);
        t.int(2, 1);
        t.packedFloats(4, [0.5, -1, 2, 8]);
      });
      expect(decodeModel(packed).graph.initializers[0]).toEqual({ ...tensors.float32([0.5, -1, 2, 8], [2, 2]), name: 'f' });
      const unpacked = modelWithTensor((t) => {
        t.int(1, 3); // unpacked dims too
        t.int(2, 1);
        for (const v of [1.25, -3, 7]) t.float(4, v);
      });
      expect(Array.from(decodeModel(unpacked).graph.initializers[0]!.data as Float32Array)).toEqual([1.25, -3, 7]);
      const int64 = [-1n, 2n ** 62n, 0n, -(2n ** 63n)];
      for (const write of [(t: ProtoWriter) => t.packedInts(7, int64), (t: ProtoWriter) => int64.forEach((v) => t.int(7, v))]) {
        const bytes = modelWithTensor((t) => {
          t.packedInts(1, [4]);
          t.int(2, 7);
          write(t);
        });
        expect(decodeModel(bytes).graph.initializers[0]!.data).toEqual(BigInt64Array.from(int64));
      }
      const int32Fields: [number, number[], string, unknown][] = [
        [3, [-128, -1, 127], 'int8', Int8Array.from([-128, -1, 127])],
        [2, [0, 255], 'uint8', Uint8Array.from([0, 255])],
        [6, [-(2 ** 31), 5], 'int32', Int32Array.from([-(2 ** 31), 5])],
        [9, [1, 0], 'bool', Uint8Array.from([1, 0])],
        [10, [0x3c00, 0xfbff], 'float16', Uint16Array.from([0x3c00, 0xfbff])],
      ];
      for (const [dataType, vals, dtype, expected] of int32Fields) {
        const bytes = modelWithTensor((t) => {
          t.packedInts(1, [vals.length]);
          t.int(2, dataType);
          t.packedInts(5, vals);
        });
        expect(decodeModel(bytes).graph.initializers[0]).toEqual({ dtype, dims: [vals.length], data: expected, name: '' });
      }
    });

    it('rejects data types it cannot represent, naming the type and the initializer', () => {
      for (const [dataType, name] of [[11, 'DOUBLE'], [8, 'STRING'], [16, 'BFLOAT16'], [99, '99']] as const) {
        const bytes = modelWithTensor((t) => {
          t.int(2, dataType);
          t.string(8, 'weights.0');
        });
        expectConversionError(() => decodeModel(bytes), new RegExp(`initializer "weights\\.0" has data type ${name}`));
      }
    });

    it('rejects data that does not match the dims, and external data', () => {
      const short = modelWithTensor((t) => {
        t.packedInts(1, [2, 3]);
        t.int(2, 1);
        t.string(8, 'w');
        t.bytes(9, valueBytes);
      });
      expectConversionError(() => decodeModel(short), /"w" has dims \[2, 3\] \(6 values\) but 3 values/);
      const ragged = modelWithTensor((t) => {
        t.int(2, 1);
        t.bytes(9, valueBytes.subarray(0, 5));
      });
      expectConversionError(() => decodeModel(ragged), /not a whole number of values/);
      const external = modelWithTensor((t) => {
        t.int(2, 1);
        t.string(8, 'big');
        t.message(13, (e) => { e.string(1, 'location'); e.string(2, 'big.bin'); });
        t.int(14, 1);
      });
      expectConversionError(() => decodeModel(external), /"big" keeps its data in an external file/);
    });
  });

  describe('malformed input', () => {
    it('raises AL_ERR_CONVERSION_FAILED for every truncation before the graph is complete', () => {
      const model = sampleModel();
      const bytes = encodeModel(model);
      // With no opsets or metadata, the graph is the last field: its end in `bytes` is this length.
      const graphEnd = encodeModel({ ...model, opsets: [], metadata: {} }).length;
      for (let cut = 0; cut < graphEnd; cut++) expectConversionError(() => decodeModel(bytes.subarray(0, cut)));
      expect(decodeModel(bytes.subarray(0, graphEnd)).graph).toEqual(model.graph);
    });

    it('raises AL_ERR_CONVERSION_FAILED for bad wire types and overlong varints', () => {
      const good = encodeModel(sampleModel());
      expectConversionError(() => decodeModel(Uint8Array.from([...good, ...tag(99, 7), 0])), /wire type 7/);
      expectConversionError(() => decodeModel(Uint8Array.from([...tag(7, 0), 1])), /field 7 has wire type varint, expected length-delimited/);
      expectConversionError(() => decodeModel(Uint8Array.from([...tag(1, 5), 0, 0, 0, 0])), /field 1 has wire type fixed32, expected varint/);
      expectConversionError(() => decodeModel(Uint8Array.from([0, 1])), /invalid tag/); // field number 0
      expectConversionError(() => decodeModel(Uint8Array.from([8, ...Array(11).fill(0xff), 1])), /varint longer than 10 bytes/);
      expectConversionError(() => decodeModel(Uint8Array.from(tag(99, 4))), /unexpected end of group/);
      expectConversionError(() => decodeModel(new Uint8Array(0)), /no graph/);
    });

    it('rejects subgraph attributes and non-tensor or unsupported value types', () => {
      const model = sampleModel();
      const withGraphAttr = new ProtoWriter();
      withGraphAttr.message(7, (g) => g.message(1, (n) => {
        n.string(3, 'if0');
        n.string(4, 'If');
        n.message(5, (a) => { a.string(1, 'then_branch'); a.int(20, 5); a.message(6, () => {}); });
      }));
      expectConversionError(() => decodeModel(withGraphAttr.finish()), /attribute "then_branch" of node "if0" \(If\) has type GRAPH/);
      const doubleInput = encodeModel({ ...model, graph: { ...model.graph, inputs: [{ name: 'x', dtype: 'float32' }] } });
      // Patch elem_type FLOAT (1) to DOUBLE (11) in the input's TypeProto.tensor_type: tag 0x08 after 0x0a,len.
      const at = indexOf(doubleInput, Uint8Array.from([0x12, 0x04, 0x0a, 0x02, 0x08, 0x01]));
      expect(at).toBeGreaterThan(0);
      doubleInput[at + 5] = 11;
      expectConversionError(() => decodeModel(doubleInput), /graph input "x" has element type DOUBLE/);
      const sequence = new ProtoWriter();
      sequence.message(7, (g) => g.message(11, (v) => { v.string(1, 'seq'); v.message(2, (t) => t.message(4, () => {})); }));
      expectConversionError(() => decodeModel(sequence.finish()), /graph input "seq" is not a tensor/);
    });
  });

  it('decodes a Node Buffer, whose slice() is a view, with unaligned tensor data', () => {
    const g = createGraphBuilder('buffer');
    g.input('x', 'float32', [3]);
    const w = g.initializer('w', tensors.float32([1.5, -2, 3], [3]));
    const [y] = g.node('Add', ['x', w], {}, { outputs: ['y'] });
    g.output(y!, 'float32', [3]);
    const bytes = g.toModel({ producer: 'test', opset: 17 });
    // Place the file at every offset mod 8 inside a Buffer, so some raw_data starts unaligned.
    for (let shift = 0; shift < 8; shift++) {
      const buf = Buffer.alloc(bytes.length + shift);
      buf.set(bytes, shift);
      const model = decodeModel(buf.subarray(shift));
      expect(Array.from(model.graph.initializers[0]!.data as Float32Array)).toEqual([1.5, -2, 3]);
    }
  });

  it('skips unknown fields of every wire type, nested ones included', () => {
    const w = new ProtoWriter();
    w.int(1, 9);
    w.int(500, 2n ** 63n); // unknown varint
    w.message(7, (g) => {
      g.float(40, 1); // unknown fixed32
      g.message(1, (n) => {
        n.string(4, 'Relu');
        n.string(6, 'doc string'); // doc_string: known to ONNX, unused here
        n.message(5, (a) => { a.string(1, 'alpha'); a.string(13, 'doc'); a.int(20, 1); a.float(2, 0.5); });
        n.message(5, (a) => { a.string(1, 'axes'); a.packedInts(8, [1, -2]); }); // no type field (old files): inferred
        n.string(1, 'x');
        n.string(2, 'y');
      });
      g.string(2, 'g');
      g.message(11, (v) => {
        v.string(1, 'x');
        v.string(3, 'doc');
        v.message(2, (t) => t.message(1, (tt) => { tt.int(1, 1); tt.message(2, (s) => s.message(1, (d) => { d.string(3, 'denotation'); d.int(1, 4); })); }));
      });
      g.message(5, (t) => { t.int(2, 1); t.string(12, 'doc'); t.packedFloats(4, [1]); t.int(99, 5); });
    });
    // fixed64, length-delimited and a group with a nested group and fields inside, after the graph.
    const tail = [...tag(600, 1), ...Array(8).fill(0xab), ...tag(601, 2), 3, 1, 2, 3];
    const group = [...tag(70, 3), ...tag(1, 0), 5, ...tag(71, 3), ...tag(2, 5), 0, 0, 0, 0, ...tag(71, 4), ...tag(70, 4)];
    const bytes = Uint8Array.from([...w.finish(), ...tail, ...group]);
    const decoded = decodeModel(bytes);
    expect(decoded).toEqual({
      irVersion: 9, producerName: '', opsets: [], metadata: {},
      graph: {
        name: 'g',
        nodes: [{ opType: 'Relu', name: '', inputs: ['x'], outputs: ['y'], attributes: { alpha: { type: 'float', value: 0.5 }, axes: { type: 'ints', value: [1, -2] } } }],
        initializers: [{ dtype: 'float32', dims: [], data: Float32Array.from([1]), name: '' }],
        inputs: [{ name: 'x', dtype: 'float32', dims: [4] }],
        outputs: [],
        valueInfo: [],
      },
    });
  });
});

/** The varint bytes of a field tag. */
function tag(field: number, wire: number): number[] {
  const out: number[] = [];
  let n = field * 8 + wire;
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
