// planQdq on small graphs written with the project's graph builder and read back with decodeModel,
// the way the quantizer sees a converted recognizer.
import { describe, expect, it } from 'vitest';
import { attr, createGraphBuilder, decodeModel, tensors, type GraphBuilder } from '../converters/onnx/index.js';
import type { OnnxGraph } from '../converters/onnx/onnx-proto.js';
import { pairwiseTemporalMaxPool } from '../converters/mmaction2/c2d.js';
import { temporalShift } from '../converters/mmaction2/layers/temporal-shift.js';
import { planQdq, type QdqPlan } from './qdq-plan.js';

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

  it('quantizes the source of a MaxPool that feeds a Conv, so the pool runs on its grid', () => {
    const g = start();
    const [p] = g.node('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['pool'] });
    const plan = planQdq(finish(g, conv(g, p!, 'a')));
    expect(plan.values).toEqual(['x', 'pool', 'a']);
    expect(plan.sharesRangeWith).toEqual(new Map([['pool', 'x']]));
    expect(plan.calibrated).toEqual(['x', 'a']);
  });

  it('does not take a MaxPool that also returns indices for data movement', () => {
    const g = start();
    g.node('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['pool', 'indices'] });
    g.output('indices', 'int64');
    const plan = planQdq(finish(g, conv(g, 'pool', 'a')));
    expect(plan.values).toEqual(['pool', 'a']);
    expect(plan.sharesRangeWith.size).toBe(0);
  });

  describe('TSM: a temporal shift between Convs and a residual Add', () => {
    // stem Conv -> Relu (r0) -> shift -> Conv a -> Relu -> Conv b -> Add(b, r0) -> Relu (out) -> shift -> Conv c
    const SEGMENTS = 4;
    function build(): { graph: OnnxGraph; plan: QdqPlan; shifts: [string, string] } {
      const g = createGraphBuilder('plan-tsm');
      g.input('x', 'float32', [SEGMENTS, 4, 8, 8]);
      const [r0] = g.node('Relu', [conv(g, 'x', 'stem')], {}, { outputs: ['r0'] });
      const s1 = temporalShift(g, { name: r0!, dims: [4, 8, 8] }, SEGMENTS, 4, 'block.shift');
      const [a] = g.node('Relu', [conv(g, s1.name, 'a')], {}, { outputs: ['a.relu'] });
      const [sum] = g.node('Add', [conv(g, a!, 'b'), r0!], {}, { outputs: ['sum'] });
      const [out] = g.node('Relu', [sum!], {}, { outputs: ['out'] });
      const s2 = temporalShift(g, { name: out!, dims: [4, 8, 8] }, SEGMENTS, 4, 'next.shift');
      const graph = finish(g, conv(g, s2.name, 'c'));
      return { graph, plan: planQdq(graph), shifts: [s1.name, s2.name] };
    }

    it('quantizes the Add output the shift reads, so the Add has quantized inputs and output', () => {
      const { plan, shifts } = build();
      expect(plan.convs.map((c) => c.input)).toEqual(['x', shifts[0], 'a.relu', shifts[1]]);
      expect(plan.calibrated).toEqual(['x', 'r0', 'a.relu', 'b', 'out', 'c']);
      // Both Add inputs (b, r0) and its activated output (out) are planned: ORT fuses a QLinearAdd.
      for (const v of ['b', 'r0', 'out']) expect(plan.values).toContain(v);
    });

    it('gives every value of the shift (Reshape, Slice, Pad, Concat) the parameters of the feature map it shifts', () => {
      const { graph, plan } = build();
      const moved = graph.nodes.filter((n) => ['Reshape', 'Slice', 'Pad', 'Concat'].includes(n.opType)).map((n) => n.outputs[0]!);
      expect(moved.length).toBe(2 * 8); // per shift: 2 Reshapes, 3 Slices, 2 Pads, 1 Concat
      const halves = [moved.slice(0, 8), moved.slice(8)];
      for (const [k, root] of ['r0', 'out'].entries()) {
        for (const v of halves[k]!) expect(plan.sharesRangeWith.get(v), v).toBe(root);
      }
      expect(plan.sharesRangeWith.size).toBe(moved.length);
      expect(plan.values.length).toBe(plan.calibrated.length + moved.length);
    });

    it('runs the zero Pads of the shift on the quantized data', () => {
      const { graph, plan } = build();
      const pads = graph.nodes.flatMap((n, i) => (n.opType === 'Pad' ? [i] : []));
      expect(pads.length).toBe(4);
      expect(plan.integerPads).toEqual(pads);
    });
  });

  it('shares through C2D\'s temporal max pool (Reshape -> ReduceMax -> Reshape) and quantizes the block output it reads', () => {
    const g = createGraphBuilder('plan-c2d');
    g.input('x', 'float32', [8, 4, 8, 8]);
    const [sum] = g.node('Add', [conv(g, 'x', 'b'), 'x'], {}, { outputs: ['sum'] });
    const [out] = g.node('Relu', [sum!], {}, { outputs: ['out'] });
    const { pooled } = pairwiseTemporalMaxPool(g, { name: out!, dims: [4, 8, 8] }, 8, 'tpool');
    const graph = finish(g, conv(g, pooled.name, 'c'));
    const plan = planQdq(graph);
    const moved = graph.nodes.filter((n) => n.opType === 'Reshape' || n.opType === 'ReduceMax').map((n) => n.outputs[0]!);
    expect(moved.length).toBe(4);
    expect(plan.sharesRangeWith).toEqual(new Map(moved.map((v) => [v, 'out'])));
    expect(plan.calibrated).toEqual(['x', 'b', 'out', 'c']);
    expect(plan.integerPads).toEqual([]);
  });

  it('quantizes a graph input reached through Transpose and Reshape with the parameters of the Conv input', () => {
    // C2D's clip input: [1, C, T, H, W] -> Transpose -> Reshape -> frames for the stem Conv.
    const g = createGraphBuilder('plan-frames');
    g.input('clip', 'float32', [1, 4, 2, 8, 8]);
    g.node('Transpose', ['clip'], { perm: [0, 2, 1, 3, 4] }, { outputs: ['by_frame'] });
    g.node('Reshape', ['by_frame', g.initializer('shape', tensors.int64([-1, 4, 8, 8]))], {}, { outputs: ['frames'] });
    const plan = planQdq(finish(g, conv(g, 'frames', 'stem')));
    expect(plan.values).toEqual(['clip', 'by_frame', 'frames', 'stem']);
    expect(plan.sharesRangeWith).toEqual(new Map([['by_frame', 'clip'], ['frames', 'clip']]));
    expect(plan.calibrated).toEqual(['clip', 'stem']);
  });

  describe('walks back to the source of data movement only where quantizing it there pays', () => {
    it('not into a value a Conv left in float reads, nor into that Conv\'s output (SlowFast\'s and I3D\'s video stems)', () => {
      // clip -> Gather (slow frames) -> planned 1x7x7 stem; clip -> 5x7x7 stem (float) -> Relu -> MaxPool -> planned Conv.
      // Quantizing the clip would put the float stem between a DequantizeLinear and the QuantizeLinear
      // of its pooled output, which ONNX Runtime turns into the slow integer 3D conv the plan avoids.
      const g = createGraphBuilder('plan-video-stems');
      g.input('clip', 'float32', [1, 3, 8, 16, 16]);
      g.node('Gather', ['clip', g.initializer('frames', tensors.int64([0, 4]))], { axis: 2 }, { outputs: ['slow'] });
      g.node('Conv', ['slow', g.initializer('slow.w', filled([4, 3, 1, 7, 7]))], { pads: [0, 3, 3, 0, 3, 3] }, { outputs: ['slow.conv'] });
      g.node('Conv', ['clip', g.initializer('fast.w', filled([4, 3, 5, 7, 7]))], { pads: [2, 3, 3, 2, 3, 3] }, { outputs: ['fast.conv'] });
      g.node('Relu', ['fast.conv'], {}, { outputs: ['fast.relu'] });
      g.node('MaxPool', ['fast.relu'], { kernel_shape: [1, 3, 3], strides: [1, 2, 2], pads: [0, 1, 1, 0, 1, 1] }, { outputs: ['fast.pool'] });
      g.node('Conv', ['fast.pool', g.initializer('fast2.w', filled([4, 4, 1, 1, 1]))], {}, { outputs: ['fast2'] });
      g.output('slow.conv', 'float32');
      const plan = planQdq(finish(g, 'fast2'));
      expect(plan.convs.map((c) => c.weight)).toEqual(['slow.w', 'fast2.w']);
      expect(plan.values).toEqual(['slow', 'slow.conv', 'fast.pool', 'fast2']);
      expect(plan.sharesRangeWith.size).toBe(0);
    });

    it('not into a value made by a float op that stays float (a Sigmoid), nor one a float op reads (a head)', () => {
      const g = start();
      g.node('Sigmoid', ['x'], {}, { outputs: ['s'] });
      g.node('Reshape', ['s', g.initializer('shape', tensors.int64([1, 4, 8, 8]))], {}, { outputs: ['s.moved'] });
      const [sum] = g.node('Add', [conv(g, 's.moved', 'a'), 's.moved'], {}, { outputs: ['sum'] });
      g.node('GlobalAveragePool', [sum!], {}, { outputs: ['gap'] });
      g.output('gap', 'float32');
      g.node('Reshape', [sum!, g.initializer('shape2', tensors.int64([1, 4, 8, 8]))], {}, { outputs: ['sum.moved'] });
      const plan = planQdq(finish(g, conv(g, 'sum.moved', 'b')));
      expect(plan.values).toEqual(['s.moved', 'a', 'sum.moved', 'b']);
      expect(plan.sharesRangeWith.size).toBe(0);
    });

    it('into a residual Add (with or without its Relu) and into the graph input', () => {
      for (const activated of [true, false]) {
        const g = start();
        const [sum] = g.node('Add', [conv(g, 'x', 'a'), 'x'], {}, { outputs: ['sum'] });
        const out = activated ? g.node('Relu', [sum!], {}, { outputs: ['out'] })[0]! : sum!;
        g.node('Transpose', [out], { perm: [0, 1, 3, 2] }, { outputs: ['moved'] });
        const plan = planQdq(finish(g, conv(g, 'moved', 'b')));
        expect(plan.values, `activated ${activated}`).toEqual(['x', 'a', out, 'moved', 'b']);
        expect(plan.sharesRangeWith).toEqual(new Map([['moved', out]]));
      }
    });
  });

  it('shares a Concat only when all its inputs come from one value', () => {
    // SlowFast's lateral connection: two different feature maps side by side. Each keeps its own
    // range and the Concat output is measured on its own; nothing is forced onto the inputs.
    const g = start();
    const [r] = g.node('Relu', [conv(g, 'x', 'stem')], {}, { outputs: ['r'] });
    const [p] = g.node('MaxPool', [r!], { kernel_shape: [1, 1] }, { outputs: ['pool'] });
    g.node('Neg', ['x'], {}, { outputs: ['other'] });
    g.node('Concat', [p!, 'other'], { axis: 1 }, { outputs: ['cat'] });
    const plan = planQdq(finish(g, conv(g, 'cat', 'a', { inC: 8 })));
    expect(plan.values).toEqual(['x', 'r', 'cat', 'a']);
    expect(plan.sharesRangeWith.size).toBe(0);

    // The same feature map twice (through different data movement): one set of parameters.
    const same = start();
    const [r2] = same.node('Relu', [conv(same, 'x', 'stem')], {}, { outputs: ['r'] });
    same.node('MaxPool', [r2!], { kernel_shape: [1, 1] }, { outputs: ['pool'] });
    same.node('Slice', [r2!, same.initializer('s', tensors.int64([0])), same.initializer('e', tensors.int64([2])), same.initializer('ax', tensors.int64([1]))], {}, { outputs: ['part'] });
    same.node('Concat', ['pool', 'part'], { axis: 1 }, { outputs: ['cat'] });
    const shared = planQdq(finish(same, conv(same, 'cat', 'a', { inC: 6 })));
    expect(shared.values).toEqual(['x', 'r', 'pool', 'part', 'cat', 'a']);
    expect(shared.sharesRangeWith).toEqual(new Map([['pool', 'r'], ['part', 'r'], ['cat', 'r']]));
  });

  it('gives a Concat a range of its own when one input could not be walked back to the common origin', () => {
    // r -> Reshape (m, also read by a float Sigmoid) -> Slice p1;  r -> Slice p2;  Concat(p1, p2) -> Conv.
    // p2 shares r's grid, p1 keeps its own (m stays float): one set of parameters would not fit both.
    const g = start();
    const [sum] = g.node('Add', [conv(g, 'x', 'a'), 'x'], {}, { outputs: ['sum'] });
    g.node('Relu', [sum!], {}, { outputs: ['r'] });
    g.node('Reshape', ['r', g.initializer('shape', tensors.int64([1, 4, 8, 8]))], {}, { outputs: ['m'] });
    g.node('Sigmoid', ['m'], {}, { outputs: ['gate'] });
    g.output('gate', 'float32');
    const slice = (input: string, out: string, from: number) =>
      g.node('Slice', [input, g.initializer(`${out}.s`, tensors.int64([from])), g.initializer(`${out}.e`, tensors.int64([from + 2])), g.initializer(`${out}.ax`, tensors.int64([1]))], {}, { outputs: [out] });
    slice('m', 'p1', 0);
    slice('r', 'p2', 2);
    g.node('Concat', ['p1', 'p2'], { axis: 1 }, { outputs: ['cat'] });
    const plan = planQdq(finish(g, conv(g, 'cat', 'b')));
    expect(plan.values).toEqual(['x', 'a', 'r', 'p1', 'p2', 'cat', 'b']);
    expect(plan.sharesRangeWith).toEqual(new Map([['p2', 'r']]));
    expect(plan.calibrated).toEqual(['x', 'a', 'r', 'p1', 'cat', 'b']);
  });

  it('does not walk back into a constant (a Concat or Reshape of an initializer keeps its own range)', () => {
    const g = start();
    g.node('Concat', ['x', g.initializer('extra', filled([1, 1, 8, 8]))], { axis: 1 }, { outputs: ['cat'] });
    g.node('Reshape', [g.initializer('bank', filled([64])), g.initializer('shape', tensors.int64([1, 1, 8, 8]))], {}, { outputs: ['bank4d'] });
    g.node('Concat', ['cat', 'bank4d'], { axis: 1 }, { outputs: ['all'] });
    const plan = planQdq(finish(g, conv(g, 'all', 'a', { inC: 6 })));
    expect(plan.values).toEqual(['all', 'a']);
    expect(plan.sharesRangeWith.size).toBe(0);
  });

  it('takes a Pad as data movement only when it pads with 0 or copies (edge / reflect)', () => {
    const padded = (mode: string | undefined, value: number | undefined): QdqPlan => {
      const g = start();
      const [r] = g.node('Relu', [conv(g, 'x', 'stem')], {}, { outputs: ['r'] });
      const inputs = [r!, g.initializer('pads', tensors.int64([0, 0, 1, 1, 0, 0, 1, 1]))];
      if (value !== undefined) inputs.push(g.initializer('value', tensors.float32([value], [])));
      g.node('Pad', inputs, mode ? { mode } : {}, { outputs: ['padded'] });
      return planQdq(finish(g, conv(g, 'padded', 'a')));
    };
    for (const [mode, value] of [[undefined, undefined], ['constant', undefined], ['constant', 0], ['reflect', undefined], ['edge', undefined]] as const) {
      const plan = padded(mode, value);
      expect(plan.sharesRangeWith, `${mode} ${value}`).toEqual(new Map([['padded', 'r']]));
      expect(plan.integerPads, `${mode} ${value}`).toEqual([2]);
    }
    // A pad value other than 0 adds a value the input's range may not hold.
    const nonZero = padded('constant', 0.5);
    expect(nonZero.sharesRangeWith.size).toBe(0);
    expect(nonZero.calibrated).toEqual(['x', 'r', 'padded', 'a']);
    expect(nonZero.integerPads).toEqual([]);
  });

  it('keeps a Pad whose output is a graph output in float, with the shared parameters', () => {
    const g = start();
    const [r] = g.node('Relu', [conv(g, 'x', 'stem')], {}, { outputs: ['r'] });
    g.node('Pad', [r!, g.initializer('pads', tensors.int64([0, 0, 1, 1, 0, 0, 1, 1]))], {}, { outputs: ['padded'] });
    g.output('padded', 'float32');
    const plan = planQdq(finish(g, conv(g, 'padded', 'a')));
    expect(plan.sharesRangeWith).toEqual(new Map([['padded', 'r']]));
    expect(plan.integerPads).toEqual([]);
  });

  it('does not take a Reshape of another domain for data movement', () => {
    const g = start();
    g.node('Reshape', ['x', g.initializer('shape', tensors.int64([1, 4, 8, 8]))], {}, { outputs: ['r'], domain: 'com.example' });
    conv(g, 'r', 'a');
    g.output('a', 'float32');
    const plan = planQdq(decodeModel(g.toModel({ producer: 'test', extraOpsets: [{ domain: 'com.example', version: 1 }] })).graph);
    expect(plan.values).toEqual(['r', 'a']);
    expect(plan.sharesRangeWith.size).toBe(0);
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
