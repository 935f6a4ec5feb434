// TimeSformer (backbone.type 'TimeSformer') with divided space-time attention, as MMAction2 1.x
// builds it: 2D patch embedding per frame, cls token + pos_embed + time_embed, then per layer a
// temporal attention over each patch's frames (+ temporal_fc), a spatial attention over each
// frame's patches (cls token shared, its outputs averaged over frames), and an FFN, all pre-norm.
// Logits: TimeSformerHead's fc_cls on the final LayerNorm of the cls token.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import type { GraphBuilder } from '../onnx/index.js';
import { parseConfigPart } from './layers/parse-config.js';
import { selfAttention } from './layers/transformer-attention.js';
import { layerNorm, mlp, tokenLinear, type LinearArrays } from './layers/transformer-ops.js';
import { finishRecognizer, parseLinearHead, startRecognizer } from './layers/transformer-recognizer.js';
import { binary, concat, expandToBatch, floatConstant, reshape, sliceAxis, transpose } from './layers/transformer-shapes.js';
import { clipShape, requireClipDim } from './layers/transformer-view.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

const TimesformerSchema = z.strictObject({
  type: z.literal('TimeSformer'),
  num_frames: z.number().int().positive(),
  img_size: z.number().int().positive(),
  patch_size: z.number().int().positive(),
  pretrained: z.string().nullable().optional(),
  embed_dims: z.number().int().positive().default(768),
  num_heads: z.number().int().positive().default(12),
  num_transformer_layers: z.number().int().positive().default(12),
  in_channels: z.number().int().positive().default(3),
  dropout_ratio: z.number().min(0).max(1).default(0), // identity at inference
  transformer_layers: z.null().optional(), // custom layer configs are not supported
  attention_type: z.enum(['divided_space_time']).default('divided_space_time'),
  norm_cfg: z.strictObject({ type: z.literal('LN'), eps: z.number().positive().default(1e-5) }).default({ type: 'LN', eps: 1e-6 }),
});
type TimesformerConfig = z.output<typeof TimesformerSchema>;

/** The attention and FFN norms are built with LN eps 1e-6 whatever norm_cfg says. */
const BLOCK_NORM_EPS = 1e-6;
const FAMILY = 'TimeSformer';

interface Dims {
  frames: number;
  patches: number;
  dims: number;
  heads: number;
}

/** nn.MultiheadAttention weights at `path` (in_proj packs q, k, v; out_proj is the output linear). */
function multiheadWeights(weights: WeightSource, path: string, dims: number): { qkv: LinearArrays; proj: LinearArrays } {
  return {
    qkv: { weight: weights.param(`${path}.in_proj_weight`, [3 * dims, dims]), bias: weights.param(`${path}.in_proj_bias`, [3 * dims]), inFeatures: dims, outFeatures: 3 * dims },
    proj: { weight: weights.param(`${path}.out_proj.weight`, [dims, dims]), bias: weights.param(`${path}.out_proj.bias`, [dims]), inFeatures: dims, outFeatures: dims },
  };
}

/** DividedTemporalAttentionWithNorm: x [V, 1 + P*T, M] -> same; the cls token passes through. */
function temporalAttention(g: GraphBuilder, weights: WeightSource, path: string, x: string, d: Dims): string {
  const cls = sliceAxis(g, x, 1, 0, 1, 1, `${path}.cls`); // [V, 1, M]
  const tokens = sliceAxis(g, x, 1, 1, 1 + d.patches * d.frames, 1, `${path}.tokens`); // [V, P*T, M] (patch-major)
  const perPatch = reshape(g, tokens, [-1, d.frames, d.dims], `${path}.per_patch`); // [V*P, T, M]
  const normed = layerNorm(g, weights, `${path}.norm`, perPatch, d.dims, BLOCK_NORM_EPS);
  const attended = selfAttention(g, normed, { ...multiheadWeights(weights, `${path}.attn`, d.dims), heads: d.heads, dims: d.dims, name: `${path}.attn` });
  const fc = tokenLinear(g, weights, `${path}.temporal_fc`, attended, { inFeatures: d.dims, outFeatures: d.dims }); // [V*P, T, M]
  const back = reshape(g, fc, [-1, d.patches * d.frames, d.dims], `${path}.back`); // [V, P*T, M]
  return concat(g, [cls, binary(g, 'Add', tokens, back, `${path}.residual`)], 1, `${path}.out`);
}

/** DividedSpatialAttentionWithNorm: x [V, 1 + P*T, M] -> same, residual included. */
function spatialAttention(g: GraphBuilder, weights: WeightSource, path: string, x: string, d: Dims): string {
  const { frames: t, patches: p, dims: m } = d;
  const cls = sliceAxis(g, x, 1, 0, 1, 1, `${path}.cls`); // [V, 1, M]
  const clsPerFrame = reshape(g, tileFrames(g, cls, t, `${path}.cls_tile`), [-1, 1, m], `${path}.cls_per_frame`); // [V*T, 1, M]
  const tokens = sliceAxis(g, x, 1, 1, 1 + p * t, 1, `${path}.tokens`); // [V, P*T, M]
  const grid = reshape(g, tokens, [-1, p, t, m], `${path}.grid`); // [V, P, T, M]
  const perFrame = reshape(g, transpose(g, grid, [0, 2, 1, 3], `${path}.frame_major`), [-1, p, m], `${path}.per_frame`); // [V*T, P, M]
  const seq = concat(g, [clsPerFrame, perFrame], 1, `${path}.seq`); // [V*T, 1 + P, M]
  const normed = layerNorm(g, weights, `${path}.norm`, seq, m, BLOCK_NORM_EPS);
  const res = selfAttention(g, normed, { ...multiheadWeights(weights, `${path}.attn`, m), heads: d.heads, dims: m, name: `${path}.attn` }); // [V*T, 1 + P, M]
  // The per-frame cls outputs are averaged back into one cls token.
  const clsRes = reshape(g, sliceAxis(g, res, 1, 0, 1, 1, `${path}.cls_res`), [-1, t, m], `${path}.cls_frames`); // [V, T, M]
  const [clsMean] = g.node('ReduceMean', [clsRes], { axes: [1], keepdims: 1 }, { outputs: [g.uniqueName(`${path}.cls_mean`)] }); // [V, 1, M]
  const patchRes = reshape(g, sliceAxis(g, res, 1, 1, 1 + p, 1, `${path}.patch_res`), [-1, t, p, m], `${path}.patch_grid`); // [V, T, P, M]
  const patchBack = reshape(g, transpose(g, patchRes, [0, 2, 1, 3], `${path}.patch_major`), [-1, p * t, m], `${path}.patch_back`); // [V, P*T, M]
  return binary(g, 'Add', x, concat(g, [clsMean!, patchBack], 1, `${path}.res`), `${path}.out`);
}

/** [V, 1, M] -> [V, T, M] by repetition. */
function tileFrames(g: GraphBuilder, x: string, frames: number, name: string): string {
  const [y] = g.node('Tile', [x, g.constant(`${name}.repeats`, { dtype: 'int64', dims: [3], data: BigInt64Array.of(1n, BigInt(frames), 1n) })], {}, { outputs: [g.uniqueName(name)] });
  return y!;
}

/** PatchEmbed + cls token + pos_embed + time_embed: input [V, C, T, H, W] -> [V, 1 + P*T, M]. */
function embed(g: GraphBuilder, weights: WeightSource, input: string, cfg: TimesformerConfig, d: Dims, channels: number): string {
  const { dims: m, frames: t, patches: p } = d;
  const k = cfg.patch_size;
  const frameMajor = transpose(g, input, [0, 2, 1, 3, 4], 'backbone.patch_embed.frames'); // [V, T, C, H, W]
  const images = reshape(g, frameMajor, [-1, channels, cfg.img_size, cfg.img_size], 'backbone.patch_embed.images'); // [V*T, C, H, W]
  const w = floatConstant(g, 'backbone.patch_embed.projection.weight', weights.param('backbone.patch_embed.projection.weight', [m, channels, k, k]), [m, channels, k, k]);
  const b = floatConstant(g, 'backbone.patch_embed.projection.bias', weights.param('backbone.patch_embed.projection.bias', [m]), [m]);
  const [conv] = g.node('Conv', [images, w, b], { kernel_shape: [k, k], strides: [k, k] }, { outputs: [g.uniqueName('backbone.patch_embed.projection')] }); // [V*T, M, H/k, W/k]
  const flat = transpose(g, reshape(g, conv!, [-1, m, p], 'backbone.patch_embed.flat'), [0, 2, 1], 'backbone.patch_embed.tokens'); // [V*T, P, M]

  const pos = weights.param('backbone.pos_embed', [1, p + 1, m]);
  const clsToken = weights.param('backbone.cls_token', [1, 1, m]);
  const timeEmbed = weights.param('backbone.time_embed', [1, t, m]);
  // The cls token gets pos_embed[0] and no time embedding; patch p of frame t gets pos[1 + p] + time[t].
  const clsWithPos = new Float32Array(m).map((_, i) => clsToken[i]! + pos[i]!);
  const withPos = binary(g, 'Add', flat, floatConstant(g, 'backbone.pos_embed.patches', pos.subarray(m), [p, m]), 'backbone.pos_added');
  const grid = reshape(g, withPos, [-1, t, p, m], 'backbone.time_grid'); // [V, T, P, M]
  const withTime = binary(g, 'Add', grid, floatConstant(g, 'backbone.time_embed', timeEmbed, [t, 1, m]), 'backbone.time_added');
  const tokens = reshape(g, transpose(g, withTime, [0, 2, 1, 3], 'backbone.patch_major'), [-1, p * t, m], 'backbone.tokens'); // [V, P*T, M]
  const cls = expandToBatch(g, floatConstant(g, 'backbone.cls_with_pos', clsWithPos, [1, 1, m]), input, [1, m], 'backbone.cls'); // [V, 1, M]
  return concat(g, [cls, tokens], 1, 'backbone.embedded');
}

export const buildTimesformer: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(TimesformerSchema, model.backbone, 'backbone');
  const head = parseLinearHead(model, ['TimeSformerHead']);
  const clip = clipShape(viewShape, FAMILY);
  requireClipDim(FAMILY, 'channels', clip.channels, cfg.in_channels, 'backbone.in_channels');
  requireClipDim(FAMILY, 'frames', clip.frames, cfg.num_frames, 'time_embed has num_frames entries');
  requireClipDim(FAMILY, 'height', clip.height, cfg.img_size, 'pos_embed is built for img_size');
  requireClipDim(FAMILY, 'width', clip.width, cfg.img_size, 'pos_embed is built for img_size');
  if (cfg.img_size % cfg.patch_size !== 0 || cfg.embed_dims % cfg.num_heads !== 0) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${FAMILY}: img_size ${cfg.img_size} must be a multiple of patch_size ${cfg.patch_size}, and embed_dims ${cfg.embed_dims} of num_heads ${cfg.num_heads}.`, {
      hint: 'Use a TimeSformer config from the MMAction2 model zoo.',
    });
  }
  const grid = cfg.img_size / cfg.patch_size;
  const d: Dims = { frames: cfg.num_frames, patches: grid * grid, dims: cfg.embed_dims, heads: cfg.num_heads };

  const rg = startRecognizer('timesformer', model, viewShape);
  const { g } = rg;
  let x = embed(g, weights, rg.input, cfg, d, clip.channels); // [V, 1 + P*T, M]
  for (let i = 0; i < cfg.num_transformer_layers; i++) {
    const layer = `backbone.transformer_layers.layers.${i}`;
    x = temporalAttention(g, weights, `${layer}.attentions.0`, x, d);
    x = spatialAttention(g, weights, `${layer}.attentions.1`, x, d);
    const ffn = `${layer}.ffns.0`;
    const normed = layerNorm(g, weights, `${ffn}.norm`, x, d.dims, BLOCK_NORM_EPS);
    const hidden = mlp(g, weights, normed, { fc1: `${ffn}.layers.0.0`, fc2: `${ffn}.layers.1`, inFeatures: d.dims, hiddenFeatures: 4 * d.dims });
    x = binary(g, 'Add', x, hidden, `${ffn}.out`);
  }
  const normed = layerNorm(g, weights, 'backbone.norm', x, d.dims, cfg.norm_cfg.eps);
  const clsOut = reshape(g, sliceAxis(g, normed, 1, 0, 1, 1, 'backbone.cls_out'), [-1, d.dims], 'backbone.features'); // [V, M]
  return finishRecognizer(rg, weights, clsOut, head);
};
