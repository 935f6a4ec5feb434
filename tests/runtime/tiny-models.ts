// Tiny ONNX models for the runtime tests, built with the project's own graph builder and written
// to a temp folder (the worker loads models from a path, as it does in production).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGraphBuilder, tensors } from '../../src/models/converters/onnx/index.js';

export interface ModelDir {
  dir: string;
  /** Writes the model bytes as <name>.onnx and returns the path. */
  write(name: string, bytes: Uint8Array): string;
  cleanup(): void;
}

export function makeModelDir(): ModelDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-runtime-'));
  return {
    dir,
    write(name, bytes) {
      const file = path.join(dir, `${name}.onnx`);
      writeFileSync(file, bytes);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** y = x * scale + bias, and s = ReduceSum(x) over the last axis: two outputs, x [2, 3]. */
export function affineModel(scale: number[], bias: number[]): Uint8Array {
  const g = createGraphBuilder('affine');
  const x = g.input('x', 'float32', [2, 3]);
  const [scaled] = g.node('Mul', [x, g.constant('scale', tensors.float32(scale))]);
  const [y] = g.node('Add', [scaled, g.constant('bias', tensors.float32(bias))], {}, { outputs: ['y'] });
  const [s] = g.node('ReduceSum', [x, g.constant('axes', tensors.int64([-1]))], { keepdims: 0 }, { outputs: ['s'] });
  g.output(y, 'float32', [2, 3]);
  g.output(s, 'float32', [2]);
  return g.toModel({ producer: 'actionlens-tests' });
}

/**
 * A stream model shaped like MoViNet's interface: state_out = state + image, logits = state_out.
 * The state has a symbolic batch dimension, as converted models often do.
 */
export function accumulatorStreamModel(width: number): Uint8Array {
  const g = createGraphBuilder('accumulator');
  const image = g.input('image', 'float32', [1, width]);
  const state = g.input('state', 'float32', ['batch', width]);
  const [next] = g.node('Add', [state, image], {}, { outputs: ['state_out'] });
  const [logits] = g.node('Identity', [next], {}, { outputs: ['logits'] });
  g.output(next, 'float32', ['batch', width]);
  g.output(logits, 'float32', ['batch', width]);
  return g.toModel({ producer: 'actionlens-tests' });
}

/**
 * `depth` chained MatMuls of x [n, n] with W = 1/n everywhere: slow enough to notice a blocked
 * event loop, and exact to check, since x @ W puts each row's mean in every column (and
 * averaging a constant row keeps it).
 */
export function slowMatMulModel(n: number, depth: number): Uint8Array {
  const g = createGraphBuilder('slow_matmul');
  let v = g.input('x', 'float32', [n, n]);
  const w = g.constant('w', { dtype: 'float32', dims: [n, n], data: new Float32Array(n * n).fill(1 / n) });
  for (let i = 0; i < depth; i++) [v] = g.node('MatMul', [v, w], {}, i === depth - 1 ? { outputs: ['y'] } : {});
  g.output(v, 'float32', [n, n]);
  return g.toModel({ producer: 'actionlens-tests' });
}

/**
 * The accumulator with quantized inputs, as the TFLite converter makes them: image and state take
 * uint8 codes (real = (code - zero point) * 0.5), the state's zero point is 100 (so real zero is not
 * code 0), and the metadata lists both. logits = the real running sum of the images.
 */
export function quantizedAccumulatorStreamModel(width: number): Uint8Array {
  const g = createGraphBuilder('quantized_accumulator');
  const image = g.input('image', 'uint8', [1, width]);
  const state = g.input('state', 'uint8', [1, width]);
  const scale = g.constant('scale', tensors.float32([0.5], []));
  const imageZero = g.constant('image_zero', tensors.uint8([0], []));
  const stateZero = g.constant('state_zero', tensors.uint8([100], []));
  const [imageReal] = g.node('DequantizeLinear', [image, scale, imageZero]);
  const [stateReal] = g.node('DequantizeLinear', [state, scale, stateZero]);
  const [sum] = g.node('Add', [stateReal, imageReal]);
  const [next] = g.node('QuantizeLinear', [sum, scale, stateZero], {}, { outputs: ['state_out'] });
  const [logits] = g.node('DequantizeLinear', [next, scale, stateZero], {}, { outputs: ['logits'] });
  g.output(next, 'uint8', [1, width]);
  g.output(logits, 'float32', [1, width]);
  return g.toModel({
    producer: 'actionlens-tests',
    metadata: {
      'actionlens.quantized_inputs': JSON.stringify({ image: { scale: 0.5, zero_point: 0 }, state: { scale: 0.5, zero_point: 100 } }),
      'actionlens.state_names': JSON.stringify([{ input: 'state', output: 'state_out' }]),
    },
  });
}
