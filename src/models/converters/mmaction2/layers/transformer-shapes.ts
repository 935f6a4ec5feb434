// Shape plumbing the transformer families use between their matmuls: reshape, transpose, slice,
// concat, roll. Each call returns the new value's name; callers mark shapes in comments. The leading
// (views x windows/heads) dimension is usually written as -1 so one graph serves any number of views.
import { tensors, type GraphBuilder } from '../../onnx/index.js';

/** Reshape to `shape` (one -1 allowed; ONNX 0 would copy the input dim). */
export function reshape(g: GraphBuilder, x: string, shape: readonly number[], name = 'reshape'): string {
  const [y] = g.node('Reshape', [x, g.constant(`${name}.shape`, tensors.int64(shape))], {}, { outputs: [g.uniqueName(name)] });
  return y!;
}

export function transpose(g: GraphBuilder, x: string, perm: readonly number[], name = 'transpose'): string {
  const [y] = g.node('Transpose', [x], { perm }, { outputs: [g.uniqueName(name)] });
  return y!;
}

/** x[start:end] along `axis` (end may be a large number for "to the end"), with an optional step. */
export function sliceAxis(g: GraphBuilder, x: string, axis: number, start: number, end: number, step = 1, name = 'slice'): string {
  const inputs = [
    x,
    g.constant(`${name}.starts`, tensors.int64([start])),
    g.constant(`${name}.ends`, tensors.int64([end])),
    g.constant(`${name}.axes`, tensors.int64([axis])),
    g.constant(`${name}.steps`, tensors.int64([step])),
  ];
  const [y] = g.node('Slice', inputs, {}, { outputs: [g.uniqueName(name)] });
  return y!;
}

export function concat(g: GraphBuilder, parts: readonly string[], axis: number, name = 'concat'): string {
  const [y] = g.node('Concat', parts, { axis }, { outputs: [g.uniqueName(name)] });
  return y!;
}

/** Elementwise binary op (Add, Mul, Sub, Div) with broadcasting. */
export function binary(g: GraphBuilder, op: 'Add' | 'Mul' | 'Sub' | 'Div', a: string, b: string, name = op.toLowerCase()): string {
  const [y] = g.node(op, [a, b], {}, { outputs: [g.uniqueName(name)] });
  return y!;
}

/** A float32 initializer from values and dims. */
export function floatConstant(g: GraphBuilder, name: string, data: Float32Array, dims: readonly number[]): string {
  return g.constant(name, { dtype: 'float32', dims, data });
}

/**
 * torch.roll(x, shift, axis) for a static axis length: element i moves to (i + shift) mod size.
 * Written as two slices and a concat (ONNX has no Roll).
 */
export function roll(g: GraphBuilder, x: string, axis: number, shift: number, size: number, name = 'roll'): string {
  const s = ((shift % size) + size) % size;
  if (s === 0) return x;
  const tail = sliceAxis(g, x, axis, size - s, size, 1, `${name}.tail`);
  const head = sliceAxis(g, x, axis, 0, size - s, 1, `${name}.head`);
  return concat(g, [tail, head], axis, name);
}

/** The leading dimension of x as a 1-element int64 tensor (the symbolic views axis). */
export function leadingDim(g: GraphBuilder, x: string, name = 'leading_dim'): string {
  const [y] = g.node('Shape', [x], { start: 0, end: 1 }, { outputs: [g.uniqueName(name)] });
  return y!;
}

/** Broadcasts a constant [1, ...rest] to [N, ...rest] where N is the leading dim of `like`. */
export function expandToBatch(g: GraphBuilder, constant: string, like: string, rest: readonly number[], name = 'expand'): string {
  const shape = concat(g, [leadingDim(g, like, `${name}.n`), g.constant(`${name}.rest`, tensors.int64(rest))], 0, `${name}.shape`);
  const [y] = g.node('Expand', [constant, shape], {}, { outputs: [g.uniqueName(name)] });
  return y!;
}
