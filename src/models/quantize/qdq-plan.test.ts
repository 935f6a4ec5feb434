// planQdq on small graphs written with the project's graph builder and read back with decodeModel,
// the way the quantizer sees a converted recognizer.
import { describe, expect, it } from 'vitest';
import { attr, createGraphBuilder, decodeModel, tensors, type GraphBuilder } from '../converters/onnx/index.js';
import type { OnnxGraph } from '../converters/onnx/onnx-proto.js';
import { planQdq } from './qdq-plan.js';

/** A float32 constant of the given dims (of constants only Clip bounds matter to the plan; those are written out). */
const filled = (dims: number[]) => tensors.float32(new Array(dims.reduce((a, b) => a * b, 1)).fill(0.01), dims);

/** A builder with a [1, 4, 8, 8] input `x`. */
function start(): GraphBuilder {
  const g = createGraphBuilder('plan-test');
  g.input('x', 'float32', [1, 4, 8, 8]);
  return g;
}

/** Conv 3x3 with constant weight and bias; returns its output. */
function conv(g: GraphBuilder, input: string, name: string, opts: { bias?: boolean; inC?: number; outC?: number } = {}): string {
  const inC = opts.inC ?? 4;
  const outC = opts.outC ?? 4;
  const w = g.initializer(`${name}.w`, filled([outC, inC, 3, 3]));
  const inputs = opts.bias === false ? [input, w] : [input, w, g.initializer(`${name}.b`, filled([outC]))];
  return g.node('Conv', inputs, { pads: [1, 1, 1, 1] }, { outputs: [name], outputInfo: [{ dtype: 'float32' }] })[0]!;
}

function finish(g: GraphBuilder, output: string): OnnxGraph {
  g.output(output, 'float32');
  return decodeModel(g.toModel({ producer: 'test' })).graph;
}

describe('planQdq', () => {
  it('takes the Relu after a Conv as the quantized output, and plans the graph input of the Conv', () => {
    const g = start();
    const c = conv(g, 'x', 'c');
    const [r] = g.node('Relu', [c], {}, { outputs: ['r'] });
    const plan = planQdq(finish(g, r!));
    expect(plan.convs).toEqual([{ node: 0, input: 'x', weight: 'c.w', bias: 'c.b' }]);
    expect(plan.values).toEqual(['x', 'r']);
    expect(plan.calibrated).toEqual(['x', 'r']);
    expect(plan.sharesRangeWith.size).toBe(0);
  });

  it('takes a Clip(0, 6) after a Conv as the quantized output', () => {
    const g = start();
    const c = conv(g, 'x', 'c');
    const lo = g.initializer('zero', tensors.float32([0], []));
    const hi = g.initializer('six', tensors.float32([6], []));
    g.node('Clip', [c, lo, hi], {}, { outputs: ['relu6'] });
    const plan = planQdq(finish(g, 'relu6'));
    expect(plan.values).toEqual(['x', 'relu6']);
  });

  it('keeps the Conv output when the Clip can go below 0 or has no constant minimum', () => {
    const negative = start();
    const c1 = conv(negative, 'x', 'c');
    negative.node('Clip', [c1, negative.initializer('lo', tensors.float32([-1], [])), negative.initializer('hi', tensors.float32([1], []))], {}, { outputs: ['clipped'] });
    expect(planQdq(finish(negative, 'clipped')).values).toEqual(['x', 'c']);

    const noMin = start();
    const c2 = conv(noMin, 'x', 'c');
    noMin.node('Clip', [c2, '', noMin.initializer('hi', tensors.float32([6], []))], {}, { outputs: ['clipped'] });
    expect(planQdq(finish(noMin, 'clipped')).values).toEqual(['x', 'c']);
  });

  it('keeps the Conv output when it has more than one consumer', () => {
    // A pre-activation residual: the Relu cannot be folded into the Conv's quantize step because
    // the Add needs the value before it.
    const g = start();
    const c = conv(g, 'x', 'c');
    const [r] = g.node('Relu', [c], {}, { outputs: ['r'] });
    g.node('Add', [c, r!], {}, { outputs: ['sum'] });
    const plan = planQdq(finish(g, 'sum'));
    expect(plan.values).toEqual(['x', 'c']);
  });

  it('keeps a Conv output that nothing reads after it (a graph output)', () => {
    const g = start();
    const c = conv(g, 'x', 'c', { bias: false });
    const plan = planQdq(finish(g, c));
    expect(plan.convs).toEqual([{ node: 0, input: 'x', weight: 'c.w' }]);
    expect('bias' in plan.convs[0]!).toBe(false);
    expect(plan.values).toEqual(['x', 'c']);
  });

  it('skips a Conv whose weight or bias is not a constant', () => {
    const inputWeight = start();
    inputWeight.input('w', 'float32', [4, 4, 3, 3]);
    inputWeight.node('Conv', ['x', 'w'], { pads: [1, 1, 1, 1] }, { outputs: ['c'] });
    inputWeight.node('Relu', ['c'], {}, { outputs: ['r'] });
    const a = planQdq(finish(inputWeight, 'r'));
    expect(a).toMatchObject({ convs: [], values: [], calibrated: [] });

    const computedWeight = start();
    const [w] = computedWeight.node('Mul', [computedWeight.initializer('w0', filled([4, 4, 3, 3])), computedWeight.initializer('k', tensors.float32([2], []))], {}, { outputs: ['w'] });
    computedWeight.node('Conv', ['x', w!], { pads: [1, 1, 1, 1] }, { outputs: ['c'] });
    expect(planQdq(finish(computedWeight, 'c')).convs).toEqual([]);

    const computedBias = start();
    const [b] = computedBias.node('Neg', [computedBias.initializer('b0', filled([4]))], {}, { outputs: ['b'] });
    computedBias.node('Conv', ['x', computedBias.initializer('w', filled([4, 4, 3, 3])), b!], { pads: [1, 1, 1, 1] }, { outputs: ['c'] });
    expect(planQdq(finish(computedBias, 'c')).convs).toEqual([]);
  });

  it('skips a Conv from another domain', () => {
    const g = start();
    g.node('Conv', ['x', g.initializer('w', filled([4, 4, 3, 3]))], {}, { outputs: ['c'], domain: 'com.example' });
    const plan = planQdq(decodeModel(g.toModel({ producer: 'test', extraOpsets: [{ domain: 'com.example', version: 1 }] })).graph);
    expect(plan.convs).toEqual([]);
  });

  it('lets a MaxPool output share the range of its quantized input, transitively', () => {
    // stem -> Relu -> MaxPool -> MaxPool; both pools feed Convs. Max pooling picks values of its
    // input, so its output range is within the input's: one set of parameters serves all three.
    const g = start();
    const [r] = g.node('Relu', [conv(g, 'x', 'stem')], {}, { outputs: ['stem.relu'] });
    const [p1] = g.node('MaxPool', [r!], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['pool1'] });
    const [p2] = g.node('MaxPool', [p1!], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['pool2'] });
    const a = conv(g, p1!, 'a');
    const b = conv(g, p2!, 'b');
    g.node('Add', [a, a], {}, { outputs: ['a2'] });
    g.output('a2', 'float32');
    const plan = planQdq(finish(g, b));
    expect(plan.values).toEqual(['x', 'stem.relu', 'pool1', 'pool2', 'a', 'b']);
    expect([...plan.sharesRangeWith.entries()].sort()).toEqual([['pool1', 'stem.relu'], ['pool2', 'stem.relu']]);
    expect(plan.calibrated).toEqual(['x', 'stem.relu', 'a', 'b']);
  });

  it('does not share a range through an op that changes values (AveragePool)', () => {
    const g = start();
    const [r] = g.node('Relu', [conv(g, 'x', 'stem')], {}, { outputs: ['stem.relu'] });
    const [p] = g.node('AveragePool', [r!], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['pool'] });
    const plan = planQdq(finish(g, conv(g, p!, 'a')));
    expect(plan.sharesRangeWith.size).toBe(0);
    expect(plan.calibrated).toEqual(['x', 'stem.relu', 'pool', 'a']);
  });

  it('does not share the range of a MaxPool input that is not quantized itself', () => {
    const g = start();
    const [p] = g.node('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['pool'] });
    const plan = planQdq(finish(g, conv(g, p!, 'a')));
    expect(plan.values).toEqual(['pool', 'a']);
    expect(plan.calibrated).toEqual(['pool', 'a']);
  });

  it('lists values and calibrated roots in graph order, not in the order the Convs are met', () => {
    // Node order: x -> Relu (r0); Conv c1(x) -> Relu (r1); Conv c2(r0); Conv c3(r1).
    // Met conv by conv the values would come as x, r1, r0, c2, c3; in graph order r0 precedes r1.
    const g = start();
    g.node('Relu', ['x'], {}, { outputs: ['r0'] });
    g.node('Relu', [conv(g, 'x', 'c1')], {}, { outputs: ['r1'] });
    const c2 = conv(g, 'r0', 'c2');
    const c3 = conv(g, 'r1', 'c3');
    g.node('Add', [c2, c3], {}, { outputs: ['sum'] });
    const plan = planQdq(finish(g, 'sum'));
    expect(plan.convs.map((c) => c.node)).toEqual([1, 3, 4]);
    expect(plan.values).toEqual(['x', 'r0', 'r1', 'c2', 'c3']);
    expect(plan.calibrated).toEqual(plan.values);
  });

  it('leaves a 3D stem with a temporal kernel on RGB in float (I3D, SlowFast), but plans a 1xkxk one (SlowOnly)', () => {
    for (const [kt, planned] of [[5, false], [1, true]] as const) {
      const g = createGraphBuilder('plan-stem');
      g.input('clip', 'float32', [1, 3, 8, 16, 16]);
      g.node('Conv', ['clip', g.initializer('w', filled([4, 3, kt, 7, 7]))], { pads: [(kt - 1) / 2, 3, 3, (kt - 1) / 2, 3, 3] }, { outputs: ['c'] });
      g.node('Relu', ['c'], {}, { outputs: ['r'] });
      g.node('Conv', ['r', g.initializer('w2', filled([4, 4, 1, 3, 3]))], { pads: [0, 1, 1, 0, 1, 1] }, { outputs: ['c2'] });
      const plan = planQdq(finish(g, 'c2'));
      expect(plan.convs.map((c) => c.weight)).toEqual(planned ? ['w', 'w2'] : ['w2']);
      expect(plan.values).toEqual(planned ? ['clip', 'r', 'c2'] : ['r', 'c2']);
    }
  });

  it('plans depthwise 3D convs with a temporal kernel (X3D), which have one input channel per group', () => {
    const g = createGraphBuilder('plan-depthwise');
    g.input('x', 'float32', [1, 8, 4, 8, 8]);
    g.node('Conv', ['x', g.initializer('w', filled([8, 1, 5, 1, 1]))], { group: 8, pads: [2, 0, 0, 2, 0, 0] }, { outputs: ['c'] });
    expect(planQdq(finish(g, 'c')).convs.map((c) => c.weight)).toEqual(['w']);
  });

  it('plans a 3D Conv like a 2D one and ignores a 1D-weight op such as Gemm', () => {
    const g = createGraphBuilder('plan-3d');
    g.input('clip', 'float32', [1, 8, 4, 8, 8]);
    g.node('Conv', ['clip', g.initializer('w', filled([4, 8, 3, 3, 3])), g.initializer('b', filled([4]))], { pads: [1, 1, 1, 1, 1, 1] }, { outputs: ['c'] });
    g.node('Relu', ['c'], {}, { outputs: ['r'] });
    g.node('GlobalAveragePool', ['r'], {}, { outputs: ['gap'] });
    g.node('Flatten', ['gap'], {}, { outputs: ['flat'] });
    g.node('Gemm', ['flat', g.initializer('fc.w', filled([5, 4])), g.initializer('fc.b', filled([5]))], { transB: 1, alpha: attr.float(1) }, { outputs: ['logits'] });
    const plan = planQdq(finish(g, 'logits'));
    expect(plan.convs).toEqual([{ node: 0, input: 'clip', weight: 'w', bias: 'b' }]);
    expect(plan.values).toEqual(['clip', 'r']);
  });
});
