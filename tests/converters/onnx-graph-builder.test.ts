// Builds small ONNX graphs with the builder and runs them in onnxruntime-node.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr, createGraphBuilder, tensors } from '../../src/models/converters/onnx/index.js';
import { ProtoWriter } from '../../src/models/converters/onnx/protobuf-writer.js';

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('ProtoWriter', () => {
  it('encodes varints, negative int64 and packed fields as protobuf does', () => {
    const w = new ProtoWriter();
    w.int(1, 300); // tag 0x08, varint 300 = ac 02
    w.int(2, -1); // 10-byte two's complement
    w.packedInts(3, [1, 150]);
    w.string(4, 'hi');
    expect(Array.from(w.finish())).toEqual([
      0x08, 0xac, 0x02,
      0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
      0x1a, 0x03, 0x01, 0x96, 0x01,
      0x22, 0x02, 0x68, 0x69,
    ]);
  });
});

describe('createGraphBuilder', () => {
  it('builds a Conv + Add graph that matches a direct computation', async () => {
    const g = createGraphBuilder('conv_add');
    const x = g.input('x', 'float32', [1, 2, 4, 4]);
    // 3x3 kernel, 2 in -> 3 out channels, weight w[o][i][ky][kx] = (o + 1) * (i === 0 ? 1 : -1) at centre + 0.1 elsewhere
    const w = new Float32Array(3 * 2 * 3 * 3);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 2; i++) for (let k = 0; k < 9; k++) {
      w[((o * 2 + i) * 3 + Math.floor(k / 3)) * 3 + (k % 3)] = k === 4 ? (o + 1) * (i === 0 ? 1 : -1) : 0.1;
    }
    const weight = g.constant('w', { dtype: 'float32', dims: [3, 2, 3, 3], data: w });
    const bias = g.constant('b', tensors.float32([0.5, -0.5, 1]));
    const [conv] = g.node('Conv', [x, weight, bias], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] });
    const [y] = g.node('Add', [conv, g.constant('one', tensors.float32([1]))], {}, { outputs: ['y'], outputInfo: [{ dtype: 'float32', dims: [1, 3, 4, 4] }] });
    g.output(y);
    const model = g.toModel({ producer: 'test' });

    const input = Float32Array.from({ length: 32 }, (_, i) => (i % 7) - 3);
    const out = (await run(model, { x: new ort.Tensor('float32', input, [1, 2, 4, 4]) })).y;
    expect(out.dims).toEqual([1, 3, 4, 4]);
    // reference: direct convolution with zero padding
    const at = (c: number, yy: number, xx: number) => (yy < 0 || yy > 3 || xx < 0 || xx > 3 ? 0 : input[c * 16 + yy * 4 + xx]);
    const got = out.data as Float32Array;
    for (let o = 0; o < 3; o++) for (let yy = 0; yy < 4; yy++) for (let xx = 0; xx < 4; xx++) {
      let s = [0.5, -0.5, 1][o] + 1;
      for (let i = 0; i < 2; i++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
        s += w[((o * 2 + i) * 3 + ky) * 3 + kx] * at(i, yy + ky - 1, xx + kx - 1);
      }
      expect(got[o * 16 + yy * 4 + xx]).toBeCloseTo(s, 4);
    }
  });

  it('round-trips int8 through QuantizeLinear/DequantizeLinear with per-channel scales', async () => {
    const g = createGraphBuilder('qdq');
    const x = g.input('x', 'float32', [2, 3]);
    const scale = g.constant('scale', tensors.float32([0.5, 0.25, 2]));
    const zp = g.constant('zp', tensors.int8([0, 10, -128]));
    const [q] = g.node('QuantizeLinear', [x, scale, zp], { axis: 1 }, { outputs: ['q'] });
    const [dq] = g.node('DequantizeLinear', [q, scale, zp], { axis: 1 }, { outputs: ['dq'] });
    g.output(q, 'int8');
    g.output(dq, 'float32');
    const model = g.toModel({ producer: 'test', metadata: { note: 'qdq' } });
    const input = Float32Array.from([1.3, -1, 300, -100, 0.1, 7]);
    const out = await run(model, { x: new ort.Tensor('float32', input, [2, 3]) });
    // q = saturate(round_half_even(x / scale) + zp)
    expect(Array.from(out.q.data as Int8Array)).toEqual([3, 6, 22, -128, 10, -124]);
    expect(Array.from(out.dq.data as Float32Array)).toEqual([1.5, -1, 300, -64, 0, 8]);
  });

  it('reshapes with an int64 shape initializer and keeps shape bookkeeping', async () => {
    const g = createGraphBuilder('reshape');
    const x = g.input('x', 'int32', [2, 6]);
    const shape = g.constant('shape', tensors.int64([3, -1]));
    const [y] = g.node('Reshape', [x, shape], {}, { outputInfo: [{ dtype: 'int32', dims: [3, 4] }] });
    expect(g.info(y)).toEqual({ dtype: 'int32', dims: [3, 4] });
    expect(g.constantValue(shape)?.dtype).toBe('int64');
    g.output(y);
    const out = await run(g.toModel({ producer: 'test' }), { x: new ort.Tensor('int32', Int32Array.from({ length: 12 }, (_, i) => i), [2, 6]) });
    expect(out[y].dims).toEqual([3, 4]);
    expect(Array.from(out[y].data as Int32Array)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('writes float attributes, bool and float16 initializers', async () => {
    const g = createGraphBuilder('misc');
    const x = g.input('x', 'float32', ['n', 2]);
    const [lr] = g.node('LeakyRelu', [x], { alpha: attr.float(0.25) });
    const mask = g.constant('mask', tensors.bool([true, false]));
    const [zeroed] = g.node('Where', [mask, lr, g.constant('zero', tensors.float32([0]))]);
    // 1.5 in float16 is 0x3e00
    const [half] = g.node('Cast', [g.constant('h', { dtype: 'float16', dims: [1], data: Uint16Array.from([0x3e00]) })], { to: 1 });
    const [y] = g.node('Mul', [zeroed, half], {}, { outputs: ['y'] });
    g.output(y, 'float32', ['n', 2]);
    const out = await run(g.toModel({ producer: 'test' }), { x: new ort.Tensor('float32', Float32Array.from([-4, 3, 2, -2]), [2, 2]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([-1.5, 0, 3, 0]);
  });

  it('rejects duplicate names, undefined inputs and non-integer plain attributes', () => {
    const g = createGraphBuilder('bad');
    g.input('x', 'float32', [1]);
    expect(() => g.input('x', 'float32', [1])).toThrow(/already defined/);
    expect(() => g.node('Elu', ['x'], { alpha: 0.5 })).toThrow(/attr\.float/);
    g.node('Relu', ['missing'], {}, { outputs: ['y'] });
    g.output('y', 'float32');
    expect(() => g.toModel({ producer: 'test' })).toThrow(/reads "missing"/);
    expect(g.uniqueName('x')).toBe('x_1');
  });
});
