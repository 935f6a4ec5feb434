// Multi-head attention pieces shared by TimeSformer, ViT, MViT and Swin: one fused qkv projection,
// scaled dot-product attention with an optional additive bias hook, and merging the heads back.
import { tensors, type GraphBuilder } from '../../onnx/index.js';
import { binary, floatConstant, reshape, transpose } from './transformer-shapes.js';
import { linearFromArrays, type LinearArrays } from './transformer-ops.js';

export interface QkvHeads {
  q: string;
  k: string;
  v: string;
}

/**
 * x [B, N, in] -> q, k, v each [B, heads, N, headDim], from one [3*heads*headDim, in] projection
 * laid out as (q | k | v) x heads x headDim, as both nn.MultiheadAttention and timm-style qkv do.
 */
export function projectQkv(g: GraphBuilder, x: string, proj: LinearArrays, heads: number, headDim: number, name: string): QkvHeads {
  const qkv = linearFromArrays(g, x, proj, `${name}.qkv`); // [B, N, 3 * heads * headDim]
  const split = reshape(g, qkv, [0, 0, 3, heads, headDim], `${name}.qkv_split`); // [B, N, 3, heads, headDim]
  const perm = transpose(g, split, [2, 0, 3, 1, 4], `${name}.qkv_perm`); // [3, B, heads, N, headDim]
  const pick = (i: number, what: string): string => {
    const [y] = g.node('Gather', [perm, g.constant(`${name}.${what}_index`, tensors.int64([i], []))], { axis: 0 }, { outputs: [g.uniqueName(`${name}.${what}`)] });
    return y!; // [B, heads, N, headDim]
  };
  return { q: pick(0, 'q'), k: pick(1, 'k'), v: pick(2, 'v') };
}

export interface AttentionOptions {
  /** Multiplies q before q @ kᵀ (head_dim ** -0.5 unless a config overrides it). */
  scale: number;
  /** Adds position biases or masks to the raw scores [B, heads, Nq, Nk] before the softmax. */
  addToScores?: (scores: string) => string;
  name: string;
}

/** softmax(q * scale @ kᵀ + bias) @ v: q [B, h, Nq, d], k and v [B, h, Nk, d] -> [B, h, Nq, d]. */
export function scaledDotAttention(g: GraphBuilder, { q, k, v }: QkvHeads, opts: AttentionOptions): string {
  const { name } = opts;
  const qScaled = binary(g, 'Mul', q, floatConstant(g, `${name}.scale`, Float32Array.of(opts.scale), []), `${name}.q_scaled`);
  const kT = transpose(g, k, [0, 1, 3, 2], `${name}.k_t`); // [B, h, d, Nk]
  const [raw] = g.node('MatMul', [qScaled, kT], {}, { outputs: [g.uniqueName(`${name}.scores`)] }); // [B, h, Nq, Nk]
  const scores = opts.addToScores ? opts.addToScores(raw!) : raw!;
  const [probs] = g.node('Softmax', [scores], { axis: -1 }, { outputs: [g.uniqueName(`${name}.probs`)] });
  const [out] = g.node('MatMul', [probs!, v], {}, { outputs: [g.uniqueName(`${name}.context`)] }); // [B, h, Nq, d]
  return out!;
}

/** [B, heads, N, headDim] -> [B, N, heads * headDim]. */
export function mergeHeads(g: GraphBuilder, x: string, dims: number, name: string): string {
  const t = transpose(g, x, [0, 2, 1, 3], `${name}.merge_t`); // [B, N, heads, headDim]
  return reshape(g, t, [0, 0, dims], `${name}.merge`); // [B, N, dims]
}

/**
 * Self-attention as nn.MultiheadAttention / ViT Attention compute it: qkv projection, attention,
 * merged heads and the output projection. x [B, N, dims] -> [B, N, dims].
 */
export function selfAttention(
  g: GraphBuilder,
  x: string,
  opts: { qkv: LinearArrays; proj: LinearArrays; heads: number; dims: number; scale?: number; addToScores?: (scores: string) => string; name: string },
): string {
  const headDim = opts.dims / opts.heads;
  const heads = projectQkv(g, x, opts.qkv, opts.heads, headDim, opts.name);
  const ctx = scaledDotAttention(g, heads, { scale: opts.scale ?? headDim ** -0.5, addToScores: opts.addToScores, name: opts.name });
  return linearFromArrays(g, mergeHeads(g, ctx, opts.dims, opts.name), opts.proj, `${opts.name}.proj`);
}
