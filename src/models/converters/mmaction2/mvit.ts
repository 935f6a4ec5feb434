// MViTv2 (backbone.type 'MViT', mmaction/models/backbones/mvit.py): Conv3d patch embedding, a cls
// token, then multiscale blocks whose attention pools q, k and v with depthwise Conv3d + LayerNorm
// (stride 2 on q at the downscale layers, adaptive kv strides), decomposed relative positions and a
// residual from the pooled q. Logits: MViTHead's fc_cls on the last stage's normed cls token.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import type { GraphBuilder } from '../onnx/index.js';
import { addDecomposedRelPos, type Thw } from './mvit-rel-pos.js';
import { parseConfigPart } from './layers/parse-config.js';
import { mergeHeads, projectQkv, scaledDotAttention } from './layers/transformer-attention.js';
import { layerNorm, linearFromArrays, mlp, tokenLinear } from './layers/transformer-ops.js';
import { finishRecognizer, parseLinearHead, startRecognizer } from './layers/transformer-recognizer.js';
import { binary, concat, expandToBatch, floatConstant, reshape, sliceAxis, transpose } from './layers/transformer-shapes.js';
import { clipShape, perAxis, requireClipDim } from './layers/transformer-view.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

const triple = z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()])])
  .transform((v): Thw => (typeof v === 'number' ? [v, v, v] : v));
const tripleOrZero = z.union([z.number().int().min(0), z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)])])
  .transform((v): Thw => (typeof v === 'number' ? [v, v, v] : v));

const ARCH_ZOO = {
  tiny: { embed_dims: 96, num_layers: 10, num_heads: 1, downscale_indices: [1, 3, 8] },
  small: { embed_dims: 96, num_layers: 16, num_heads: 1, downscale_indices: [1, 3, 14] },
  base: { embed_dims: 96, num_layers: 24, num_heads: 1, downscale_indices: [2, 5, 21] },
  large: { embed_dims: 144, num_layers: 48, num_heads: 2, downscale_indices: [2, 8, 44] },
} as const;

const MvitSchema = z.strictObject({
  type: z.literal('MViT'),
  arch: z.union([
    z.enum(['tiny', 'small', 'base', 'large']),
    z.strictObject({ embed_dims: z.number().int().positive(), num_layers: z.number().int().positive(), num_heads: z.number().int().positive(), downscale_indices: z.array(z.number().int().min(0)) }),
  ]).default('base'),
  spatial_size: z.number().int().positive().default(224),
  temporal_size: z.number().int().positive().default(16),
  in_channels: z.number().int().positive().default(3),
  pretrained: z.string().nullable().optional(),
  // Only the last scale feeds MViTHead.
  out_scales: z.union([z.literal(-1), z.tuple([z.literal(-1)])]).default(-1),
  drop_path_rate: z.number().min(0).max(1).default(0), // identity at inference
  use_abs_pos_embed: z.boolean().default(false),
  interpolate_mode: z.string().default('trilinear'),
  pool_kernel: triple.default([3, 3, 3]),
  dim_mul: z.number().int().positive().default(2),
  head_mul: z.number().int().positive().default(2),
  adaptive_kv_stride: triple.default([1, 8, 8]),
  rel_pos_embed: z.boolean().default(true),
  residual_pooling: z.boolean().default(true),
  dim_mul_in_attention: z.boolean().default(true),
  with_cls_token: z.literal(true).default(true),
  output_cls_token: z.literal(true).default(true),
  rel_pos_zero_init: z.boolean().default(false),
  mlp_ratio: z.number().positive().default(4),
  qkv_bias: z.boolean().default(true),
  norm_cfg: z.strictObject({ type: z.literal('LN'), eps: z.number().positive().default(1e-5) }).default({ type: 'LN', eps: 1e-6 }),
  patch_cfg: z.strictObject({ kernel_size: triple.default([3, 7, 7]), stride: triple.default([2, 4, 4]), padding: tripleOrZero.default([1, 3, 3]) })
    .default({ kernel_size: [3, 7, 7], stride: [2, 4, 4], padding: [1, 3, 3] }),
  init_cfg: z.unknown().optional(),
});
type MvitConfig = z.output<typeof MvitSchema>;

const FAMILY = 'MViT';

/** Output length of a conv/pool along one axis. */
const convOut = (size: number, kernel: number, stride: number, pad: number): number => Math.floor((size + 2 * pad - kernel) / stride) + 1;
const thwOut = (size: Thw, kernel: Thw, stride: Thw, pad: Thw): Thw => perAxis((a) => convOut(size[a], kernel[a], stride[a], pad[a]));
const volume = (s: Thw): number => s[0] * s[1] * s[2];

/** What MViT.__init__ decides for block i. */
interface BlockPlan {
  inDims: number;
  outDims: number;
  heads: number;
  strideQ: Thw;
  strideKv: Thw;
  /** The block's input_size at build time (sizes the rel_pos tables). */
  initSize: Thw;
}

function planBlocks(cfg: MvitConfig, patchResolution: Thw): BlockPlan[] {
  const arch = typeof cfg.arch === 'string' ? ARCH_ZOO[cfg.arch] : cfg.arch;
  const down = new Set(arch.downscale_indices);
  const plans: BlockPlan[] = [];
  let dims = arch.embed_dims;
  let heads = arch.num_heads;
  let strideKv: Thw = cfg.adaptive_kv_stride;
  let initSize = patchResolution;
  for (let i = 0; i < arch.num_layers; i++) {
    let strideQ: Thw = [1, 1, 1];
    if (down.has(i)) {
      heads *= cfg.head_mul;
      strideQ = [1, 2, 2];
      const prev = strideKv;
      strideKv = perAxis((a) => Math.max(Math.floor(prev[a] / 2), 1));
    }
    const grows = cfg.dim_mul_in_attention ? down.has(i) : down.has(i + 1);
    const outDims = grows ? dims * cfg.dim_mul : dims;
    plans.push({ inDims: dims, outDims, heads, strideQ, strideKv, initSize });
    const [inSize, q] = [initSize, strideQ];
    if (volume(q) > 1) initSize = perAxis((a) => Math.floor(inSize[a] / q[a]));
    dims = outDims;
  }
  return plans;
}

/**
 * attention_pool: tokens [B, heads, 1 + T*H*W, C] (cls first) -> pooled [B, heads, 1 + T'*H'*W', C].
 * `pool` maps [B*heads, C, T, H, W] to [B*heads, C, T', H', W'].
 */
function poolTokens(g: GraphBuilder, x: string, size: Thw, outSize: Thw, heads: number, channels: number, pool: (grid: string) => string, name: string): string {
  const cls = sliceAxis(g, x, 2, 0, 1, 1, `${name}.cls`); // [B, heads, 1, C]
  const body = sliceAxis(g, x, 2, 1, 1 + volume(size), 1, `${name}.body`); // [B, heads, N, C]
  const grid = transpose(g, reshape(g, body, [-1, ...size, channels], `${name}.grid`), [0, 4, 1, 2, 3], `${name}.channels_first`); // [B*heads, C, T, H, W]
  const pooled = reshape(g, pool(grid), [-1, heads, channels, volume(outSize)], `${name}.pooled`); // [B, heads, C, N']
  return concat(g, [cls, transpose(g, pooled, [0, 1, 3, 2], `${name}.tokens`)], 2, `${name}.out`); // [B, heads, 1 + N', C]
}

/** MultiScaleAttention at `path`: x [B, 1 + N, inDims] -> ([B, 1 + Nq, attnDims], q size). */
function multiScaleAttention(g: GraphBuilder, weights: WeightSource, path: string, x: string, size: Thw, plan: BlockPlan, attnDims: number, cfg: MvitConfig): { out: string; qSize: Thw } {
  const headDim = attnDims / plan.heads;
  const kernel = cfg.pool_kernel;
  const pad = perAxis((a) => Math.floor(kernel[a] / 2));
  const qkv = projectQkv(g, x, {
    weight: weights.param(`${path}.qkv.weight`, [3 * attnDims, plan.inDims]),
    bias: cfg.qkv_bias ? weights.param(`${path}.qkv.bias`, [3 * attnDims]) : undefined,
    inFeatures: plan.inDims,
    outFeatures: 3 * attnDims,
  }, plan.heads, headDim, path);

  const pooled = (which: 'q' | 'k' | 'v', stride: Thw): { tokens: string; size: Thw } => {
    const outSize = thwOut(size, kernel, stride, pad);
    const w = floatConstant(g, `${path}.pool_${which}.weight`, weights.param(`${path}.pool_${which}.weight`, [headDim, 1, ...kernel]), [headDim, 1, ...kernel]);
    const conv = (grid: string): string => g.node('Conv', [grid, w], { group: headDim, kernel_shape: kernel, strides: stride, pads: [...pad, ...pad] }, { outputs: [g.uniqueName(`${path}.pool_${which}`)] })[0]!;
    const tokens = poolTokens(g, qkv[which], size, outSize, plan.heads, headDim, conv, `${path}.pool_${which}`);
    return { tokens: layerNorm(g, weights, `${path}.norm_${which}`, tokens, headDim, cfg.norm_cfg.eps), size: outSize };
  };
  const q = pooled('q', plan.strideQ);
  const k = pooled('k', plan.strideKv);
  const v = pooled('v', plan.strideKv);

  let addToScores: ((scores: string) => string) | undefined;
  if (cfg.rel_pos_embed) {
    // Table lengths follow the block's build-time input size; other clip sizes are interpolated.
    const spatial = plan.initSize[1];
    const tRows = 2 * plan.initSize[0] - 1;
    const hwRows = 2 * Math.max(Math.floor(spatial / plan.strideQ[1]), Math.floor(spatial / plan.strideKv[1])) - 1;
    const tables = {
      t: weights.param(`${path}.rel_pos_t`, [tRows, headDim]),
      h: weights.param(`${path}.rel_pos_h`, [hwRows, headDim]),
      w: weights.param(`${path}.rel_pos_w`, [hwRows, headDim]),
      rows: [tRows, hwRows, hwRows] as const,
    };
    addToScores = (scores) => addDecomposedRelPos(g, scores, q.tokens, { qShape: q.size, kShape: k.size, heads: plan.heads, headDim, tables, name: path });
  }
  let ctx = scaledDotAttention(g, { q: q.tokens, k: k.tokens, v: v.tokens }, { scale: headDim ** -0.5, addToScores, name: path }); // [B, heads, 1 + Nq, C]
  if (cfg.residual_pooling) {
    // x[:, :, 1:] += q[:, :, 1:]: the cls row gets no residual.
    const mask = new Float32Array(1 + volume(q.size)).fill(1);
    mask[0] = 0;
    const qBody = binary(g, 'Mul', q.tokens, floatConstant(g, `${path}.residual_mask`, mask, [1 + volume(q.size), 1]), `${path}.q_residual`);
    ctx = binary(g, 'Add', ctx, qBody, `${path}.residual_pooled`);
  }
  const merged = mergeHeads(g, ctx, attnDims, path); // [B, 1 + Nq, attnDims]
  return { out: tokenLinear(g, weights, `${path}.proj`, merged, { inFeatures: attnDims, outFeatures: attnDims }), qSize: q.size };
}

/** MultiScaleBlock at `path`: x [B, 1 + N, inDims] -> [B, 1 + N', outDims]. */
function multiScaleBlock(g: GraphBuilder, weights: WeightSource, path: string, x: string, size: Thw, plan: BlockPlan, cfg: MvitConfig): { out: string; size: Thw } {
  const eps = cfg.norm_cfg.eps;
  const attnDims = cfg.dim_mul_in_attention ? plan.outDims : plan.inDims;
  const proj = plan.inDims !== plan.outDims
    ? { weight: weights.param(`${path}.proj.weight`, [plan.outDims, plan.inDims]), bias: weights.param(`${path}.proj.bias`, [plan.outDims]), inFeatures: plan.inDims, outFeatures: plan.outDims }
    : undefined;
  const xNorm = layerNorm(g, weights, `${path}.norm1`, x, plan.inDims, eps);
  const attn = multiScaleAttention(g, weights, `${path}.attn`, xNorm, size, plan, attnDims, cfg);

  let skip = cfg.dim_mul_in_attention && proj ? linearFromArrays(g, xNorm, proj, `${path}.proj`) : x;
  if (volume(plan.strideQ) > 1) {
    const kernel = perAxis((a) => (plan.strideQ[a] > 1 ? plan.strideQ[a] + 1 : plan.strideQ[a]));
    const pad = perAxis((a) => Math.floor(kernel[a] / 2));
    const skipDims = cfg.dim_mul_in_attention && proj ? plan.outDims : plan.inDims;
    const maxPool = (grid: string): string => g.node('MaxPool', [grid], { kernel_shape: kernel, strides: plan.strideQ, pads: [...pad, ...pad] }, { outputs: [g.uniqueName(`${path}.pool_skip`)] })[0]!;
    const withHeads = reshape(g, skip, [-1, 1, 1 + volume(size), skipDims], `${path}.skip_heads`); // [B, 1, 1 + N, C]
    const pooled = poolTokens(g, withHeads, size, thwOut(size, kernel, plan.strideQ, pad), 1, skipDims, maxPool, `${path}.pool_skip`);
    skip = reshape(g, pooled, [-1, 1 + volume(attn.qSize), skipDims], `${path}.skip`); // [B, 1 + N', C]
  }
  const x1 = binary(g, 'Add', skip, attn.out, `${path}.attn_out`);
  const xNorm2 = layerNorm(g, weights, `${path}.norm2`, x1, attnDims, eps);
  const hidden = mlp(g, weights, xNorm2, { fc1: `${path}.mlp.fc1`, fc2: `${path}.mlp.fc2`, inFeatures: attnDims, hiddenFeatures: Math.trunc(attnDims * cfg.mlp_ratio), outFeatures: plan.outDims });
  const skip2 = !cfg.dim_mul_in_attention && proj ? linearFromArrays(g, xNorm2, proj, `${path}.proj`) : x1;
  return { out: binary(g, 'Add', skip2, hidden, `${path}.out`), size: attn.qSize };
}

export const buildMvit: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(MvitSchema, model.backbone, 'backbone');
  const head = parseLinearHead(model, ['MViTHead']);
  const clip = clipShape(viewShape, FAMILY);
  requireClipDim(FAMILY, 'channels', clip.channels, cfg.in_channels, 'backbone.in_channels');
  const { kernel_size: kernel, stride, padding } = cfg.patch_cfg;
  const initResolution = thwOut([cfg.temporal_size, cfg.spatial_size, cfg.spatial_size], kernel, stride, padding);
  const resolution = thwOut([clip.frames, clip.height, clip.width], kernel, stride, padding);
  const plans = planBlocks(cfg, initResolution);
  const embedDims = plans[0]!.inDims;
  for (const p of plans) {
    const attnDims = cfg.dim_mul_in_attention ? p.outDims : p.inDims;
    if (attnDims % p.heads !== 0) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${FAMILY}: attention dims ${attnDims} are not divisible by ${p.heads} heads.`, { hint: 'Use an MViT arch from the MMAction2 model zoo.' });
    }
  }

  const rg = startRecognizer('mvit', model, viewShape);
  const { g } = rg;
  const w = floatConstant(g, 'backbone.patch_embed.projection.weight', weights.param('backbone.patch_embed.projection.weight', [embedDims, cfg.in_channels, ...kernel]), [embedDims, cfg.in_channels, ...kernel]);
  const b = floatConstant(g, 'backbone.patch_embed.projection.bias', weights.param('backbone.patch_embed.projection.bias', [embedDims]), [embedDims]);
  const [conv] = g.node('Conv', [rg.input, w, b], { kernel_shape: kernel, strides: stride, pads: [...padding, ...padding] }, { outputs: [g.uniqueName('backbone.patch_embed.projection')] }); // [V, C, T', H', W']
  const patches = transpose(g, reshape(g, conv!, [0, embedDims, volume(resolution)], 'backbone.patch_embed.flat'), [0, 2, 1], 'backbone.patch_embed.tokens'); // [V, N, C]
  const cls = expandToBatch(g, floatConstant(g, 'backbone.cls_token', weights.param('backbone.cls_token', [1, 1, embedDims]), [1, 1, embedDims]), rg.input, [1, embedDims], 'backbone.cls');
  let x = concat(g, [cls, patches], 1, 'backbone.tokens'); // [V, 1 + N, C]
  if (cfg.use_abs_pos_embed) {
    // resize_pos_embed would interpolate for other clip sizes; only the built size is supported.
    ['frames', 'height', 'width'].forEach((what, i) => requireClipDim(FAMILY, `patch grid ${what}`, resolution[i]!, initResolution[i]!, 'pos_embed covers temporal_size x spatial_size'));
    const n = 1 + volume(initResolution);
    x = binary(g, 'Add', x, floatConstant(g, 'backbone.pos_embed', weights.param('backbone.pos_embed', [1, n, embedDims]), [1, n, embedDims]), 'backbone.pos_added');
  }

  let size = resolution;
  plans.forEach((plan, i) => {
    const block = multiScaleBlock(g, weights, `backbone.blocks.${i}`, x, size, plan, cfg);
    x = block.out;
    size = block.size;
  });
  const lastDims = plans[plans.length - 1]!.outDims;
  // The last scale's norm is norm{num_scales - 1}, num_scales = len(downscale_indices) + 1.
  const normName = `backbone.norm${(typeof cfg.arch === 'string' ? ARCH_ZOO[cfg.arch] : cfg.arch).downscale_indices.length}`;
  // LayerNorm is per token, so normalising only the cls token gives the head the same vector.
  const clsToken = reshape(g, sliceAxis(g, x, 1, 0, 1, 1, 'backbone.cls_out'), [-1, lastDims], 'backbone.cls_flat'); // [V, C]
  const features = layerNorm(g, weights, normName, clsToken, lastDims, cfg.norm_cfg.eps);
  return finishRecognizer(rg, weights, features, head);
};
