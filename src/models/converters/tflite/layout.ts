// TFLite keeps images NHWC, ONNX Conv/Pool want NCHW. Ops that care transpose around themselves;
// ONNX Runtime's transpose optimizer cancels the back-to-back pairs this leaves between ops.
import type { OnnxTensorData } from '../onnx/dtypes.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';

export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;

export function transpose(g: GraphBuilder, name: string, perm: readonly number[]): string {
  const info = g.info(name);
  const dims = info?.dims ? perm.map((p) => info.dims![p]) : undefined;
  return g.node('Transpose', [name], { perm }, { outputInfo: [{ dtype: info?.dtype, dims }] })[0];
}

/** Permutes constant data, e.g. a [O, KH, KW, I] kernel to [O, I, KH, KW]. */
export function permuteConstant<T extends OnnxTensorData>(t: T, perm: readonly number[]): T {
  const dims = t.dims;
  const outDims = perm.map((p) => dims[p]);
  const rank = dims.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * dims[i + 1];
  const src = t.data;
  const out = new (src.constructor as { new (n: number): typeof src })(src.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < src.length; o++) {
    let from = 0;
    for (let d = 0; d < rank; d++) from += index[d] * inStrides[perm[d]];
    (out as unknown as number[])[o] = (src as unknown as number[])[from];
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < outDims[d]) break;
      index[d] = 0;
    }
  }
  return { ...t, dims: outDims, data: out };
}

/** TFLite SAME padding: the total is split with the extra pixel at the end (as TensorFlow does). */
export function samePads(inSize: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + effective - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
