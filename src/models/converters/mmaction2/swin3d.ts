// Video Swin Transformer (backbone.type 'SwinTransformer3D', mmaction/models/backbones/swin.py):
// Conv3d patch embedding (+ LayerNorm), stages of window attention blocks, every second one on
// cyclically shifted windows with a region mask, PatchMerging between stages, norm3 on the last.
// Logits: I3DHead = global average pool + fc_cls. Tokens stay channels-last [V, D, H, W, C].
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import type { GraphBuilder } from '../onnx/index.js';
import { parseConfigPart } from './layers/parse-config.js';
import { selfAttention } from './layers/transformer-attention.js';
import { layerNorm, mlp, tokenLinear } from './layers/transformer-ops.js';
import { finishRecognizer, parseLinearHead, startRecognizer } from './layers/transformer-recognizer.js';
import { binary, floatConstant, reshape, roll, sliceAxis, transpose } from './layers/transformer-shapes.js';
import { clipShape, perAxis, requireClipDim } from './layers/transformer-view.js';
import { cropIndex, effectiveWindow, paddedSize, relativePositionIndex, windowRegionIds, type Dhw } from './swin3d-windows.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

const pos = z.number().int().positive();
const triple = z.union([pos, z.tuple([pos, pos, pos])]).transform((v): Dhw => (typeof v === 'number' ? [v, v, v] : v));

const ARCH_ZOO = {
  tiny: { embed_dims: 96, depths: [2, 2, 6, 2], num_heads: [3, 6, 12, 24] },
  small: { embed_dims: 96, depths: [2, 2, 18, 2], num_heads: [3, 6, 12, 24] },
  base: { embed_dims: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32] },
  large: { embed_dims: 192, depths: [2, 2, 18, 2], num_heads: [6, 12, 24, 48] },
} as const;
const ARCH_ALIASES = { t: 'tiny', s: 'small', b: 'base', l: 'large' } as const;

const SwinSchema = z.strictObject({
  type: z.literal('SwinTransformer3D'),
  arch: z.union([
    z.enum(['t', 'tiny', 's', 'small', 'b', 'base', 'l', 'large']),
    z.strictObject({ embed_dims: pos, depths: z.array(pos).min(1).max(4), num_heads: z.array(pos).min(1).max(4) }),
  ]),
  pretrained: z.string().nullable().optional(),
  pretrained2d: z.boolean().default(true),
  patch_size: triple.default([2, 4, 4]),
  in_channels: pos.default(3),
  window_size: triple.default([8, 7, 7]),
  mlp_ratio: z.number().positive().default(4),
  qkv_bias: z.boolean().default(true),
  qk_scale: z.number().positive().nullable().default(null),
  drop_rate: z.number().min(0).max(1).default(0), // dropout and drop path: identity at inference
  attn_drop_rate: z.number().min(0).max(1).default(0),
  drop_path_rate: z.number().min(0).max(1).default(0.1),
  act_cfg: z.strictObject({ type: z.literal('GELU') }).default({ type: 'GELU' }),
  norm_cfg: z.strictObject({ type: z.literal('LN'), eps: z.number().positive().default(1e-5) }).default({ type: 'LN', eps: 1e-5 }),
  patch_norm: z.boolean().default(true),
  frozen_stages: z.number().int().default(-1),
  with_cp: z.boolean().default(false),
  // The head reads one feature map: the last stage's, before any downsampling.
  out_indices: z.array(z.number().int().min(0)).length(1).optional(),
  out_after_downsample: z.literal(false).default(false),
  init_cfg: z.unknown().optional(),
});
type SwinConfig = z.output<typeof SwinSchema>;

const FAMILY = 'SwinTransformer3D';

interface StagePlan {
  dims: number;
  heads: number;
  size: Dhw;
}

/** Shared per graph: one int64 index initializer per window volume, reused by every block. */
function indexCache(g: GraphBuilder, window: Dhw): (volume: number) => string {
  const full = relativePositionIndex(window);
  const n = window[0] * window[1] * window[2];
  const made = new Map<number, string>();
  return (volume) => {
    let name = made.get(volume);
    if (!name) {
      name = g.constant(`relative_position_index_${volume}`, { dtype: 'int64', dims: [volume * volume], data: BigInt64Array.from(cropIndex(full, n, volume), (v) => BigInt(v)) });
      made.set(volume, name);
    }
    return name;
  };
}

/** Scores [B*nW, heads, N, N] + relative position bias [heads, N, N] (+ the shift mask [nW, 1, N, N]). */
function windowBiases(g: GraphBuilder, weights: WeightSource, path: string, cfg: SwinConfig, heads: number, volume: number, index: string, mask?: { ids: Float32Array; numWindows: number }): (scores: string) => string {
  const [wd, wh, ww] = cfg.window_size;
  const rows = (2 * wd - 1) * (2 * wh - 1) * (2 * ww - 1);
  const table = floatConstant(g, `${path}.relative_position_bias_table`, weights.param(`${path}.relative_position_bias_table`, [rows, heads]), [rows, heads]);
  const [gathered] = g.node('Gather', [table, index], { axis: 0 }, { outputs: [g.uniqueName(`${path}.bias_gathered`)] }); // [N*N, heads]
  const bias = reshape(g, transpose(g, gathered!, [1, 0], `${path}.bias_t`), [heads, volume, volume], `${path}.bias`); // [heads, N, N]
  return (scores) => {
    let s = binary(g, 'Add', scores, bias, `${path}.scores_biased`);
    if (!mask) return s;
    const { ids, numWindows } = mask;
    // Region ids differ -> -100, as compute_mask writes it; ORT folds this into a constant.
    const idsKey = floatConstant(g, `${path}.region_ids_k`, ids, [numWindows, 1, 1, volume]);
    const idsQuery = floatConstant(g, `${path}.region_ids_q`, ids, [numWindows, 1, volume, 1]);
    const same = g.node('Equal', [idsKey, idsQuery], {}, { outputs: [g.uniqueName(`${path}.same_region`)] })[0]!; // [nW, 1, N, N]
    const [maskValues] = g.node('Where', [same, floatConstant(g, `${path}.zero`, Float32Array.of(0), []), floatConstant(g, `${path}.minus100`, Float32Array.of(-100), [])], {}, { outputs: [g.uniqueName(`${path}.mask`)] });
    s = reshape(g, s, [-1, numWindows, heads, volume, volume], `${path}.scores_per_window`); // [B, nW, heads, N, N]
    s = binary(g, 'Add', s, maskValues!, `${path}.scores_masked`);
    return reshape(g, s, [-1, heads, volume, volume], `${path}.scores_windows`); // [B*nW, heads, N, N]
  };
}

/** SwinTransformerBlock3D at `path`: x [B, D, H, W, C] -> same. */
function swinBlock(g: GraphBuilder, weights: WeightSource, path: string, x: string, stage: StagePlan, blockShift: Dhw, cfg: SwinConfig, indexFor: (volume: number) => string): string {
  const { dims: c, heads, size } = stage;
  const { window, shift } = effectiveWindow(size, cfg.window_size, blockShift);
  const padded = paddedSize(size, window);
  const [wd, wh, ww] = window;
  const [nd, nh, nw] = [padded[0] / wd, padded[1] / wh, padded[2] / ww];
  const volume = wd * wh * ww;
  const shifted = shift.some((s) => s > 0);

  let y = layerNorm(g, weights, `${path}.norm1`, x, c, cfg.norm_cfg.eps);
  const needsPad = padded.some((p, i) => p !== size[i]);
  if (needsPad) {
    const pads = g.constant(`${path}.pads`, { dtype: 'int64', dims: [10], data: BigInt64Array.from([0, 0, 0, 0, 0, 0, padded[0] - size[0], padded[1] - size[1], padded[2] - size[2], 0], BigInt) });
    y = g.node('Pad', [y, pads], { mode: 'constant' }, { outputs: [g.uniqueName(`${path}.padded`)] })[0]!; // [B, Dp, Hp, Wp, C]
  }
  for (let a = 0; a < 3; a++) y = roll(g, y, a + 1, -shift[a]!, padded[a]!, `${path}.shift${a}`);
  const grid = reshape(g, y, [-1, nd, wd, nh, wh, nw, ww, c], `${path}.window_grid`); // [B, nd, wd, nh, wh, nw, ww, C]
  const windows = reshape(g, transpose(g, grid, [0, 1, 3, 5, 2, 4, 6, 7], `${path}.window_major`), [-1, volume, c], `${path}.windows`); // [B*nW, N, C]

  const attnPath = `${path}.attn`;
  const mask = shifted ? windowRegionIds(padded, window, shift) : undefined;
  const attended = selfAttention(g, windows, {
    qkv: { weight: weights.param(`${attnPath}.qkv.weight`, [3 * c, c]), bias: cfg.qkv_bias ? weights.param(`${attnPath}.qkv.bias`, [3 * c]) : undefined, inFeatures: c, outFeatures: 3 * c },
    proj: { weight: weights.param(`${attnPath}.proj.weight`, [c, c]), bias: weights.param(`${attnPath}.proj.bias`, [c]), inFeatures: c, outFeatures: c },
    heads,
    dims: c,
    scale: cfg.qk_scale ?? (c / heads) ** -0.5,
    addToScores: windowBiases(g, weights, attnPath, cfg, heads, volume, indexFor(volume), mask),
    name: attnPath,
  }); // [B*nW, N, C]
  const [fd, fh, fw] = cfg.window_size;
  weights.buffer(`${attnPath}.relative_position_index`, [fd * fh * fw, fd * fh * fw], 'int64');

  const back = reshape(g, attended, [-1, nd, nh, nw, wd, wh, ww, c], `${path}.window_back`); // [B, nd, nh, nw, wd, wh, ww, C]
  let z2 = reshape(g, transpose(g, back, [0, 1, 4, 2, 5, 3, 6, 7], `${path}.grid_major`), [-1, ...padded, c], `${path}.merged`); // [B, Dp, Hp, Wp, C]
  for (let a = 0; a < 3; a++) z2 = roll(g, z2, a + 1, shift[a]!, padded[a]!, `${path}.unshift${a}`);
  if (needsPad) for (let a = 0; a < 3; a++) if (padded[a] !== size[a]) z2 = sliceAxis(g, z2, a + 1, 0, size[a]!, 1, `${path}.crop${a}`);

  const x1 = binary(g, 'Add', x, z2, `${path}.attn_out`);
  const hidden = mlp(g, weights, layerNorm(g, weights, `${path}.norm2`, x1, c, cfg.norm_cfg.eps), { fc1: `${path}.mlp.fc1`, fc2: `${path}.mlp.fc2`, inFeatures: c, hiddenFeatures: Math.trunc(c * cfg.mlp_ratio) });
  return binary(g, 'Add', x1, hidden, `${path}.out`);
}

/** PatchMerging at `path`: x [B, D, H, W, C] -> [B, D, ceil(H/2), ceil(W/2), 2C]. */
function patchMerging(g: GraphBuilder, weights: WeightSource, path: string, x: string, stage: StagePlan, eps: number): { out: string; size: Dhw } {
  const [d, h, w] = stage.size;
  const c = stage.dims;
  let y = x;
  if (h % 2 === 1 || w % 2 === 1) {
    const pads = g.constant(`${path}.pads`, { dtype: 'int64', dims: [10], data: BigInt64Array.from([0, 0, 0, 0, 0, 0, 0, h % 2, w % 2, 0], BigInt) });
    y = g.node('Pad', [y, pads], { mode: 'constant' }, { outputs: [g.uniqueName(`${path}.padded`)] })[0]!;
  }
  const [h2, w2] = [Math.ceil(h / 2), Math.ceil(w / 2)];
  const pairs = reshape(g, y, [-1, d, h2, 2, w2, 2, c], `${path}.pairs`); // [B, D, H/2, hp, W/2, wp, C]
  // cat([x0, x1, x2, x3]) = (h, w) parities (0,0), (1,0), (0,1), (1,1): w parity major, h parity minor.
  const merged = reshape(g, transpose(g, pairs, [0, 1, 2, 4, 5, 3, 6], `${path}.parity_last`), [-1, d, h2, w2, 4 * c], `${path}.merged`); // [B, D, H/2, W/2, 4C]
  const normed = layerNorm(g, weights, `${path}.norm`, merged, 4 * c, eps);
  return { out: tokenLinear(g, weights, `${path}.reduction`, normed, { inFeatures: 4 * c, outFeatures: 2 * c, bias: false }), size: [d, h2, w2] };
}

export const buildSwin3d: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(SwinSchema, model.backbone, 'backbone');
  const head = parseLinearHead(model, ['I3DHead']);
  const clip = clipShape(viewShape, FAMILY);
  requireClipDim(FAMILY, 'channels', clip.channels, cfg.in_channels, 'backbone.in_channels');
  const arch = typeof cfg.arch === 'string' ? ARCH_ZOO[cfg.arch.length === 1 ? ARCH_ALIASES[cfg.arch as keyof typeof ARCH_ALIASES] : (cfg.arch as keyof typeof ARCH_ZOO)] : cfg.arch;
  const numStages = arch.depths.length;
  if (arch.num_heads.length !== numStages) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${FAMILY}: backbone.arch.num_heads has ${arch.num_heads.length} entries but depths has ${numStages}; they must match.`, {
      hint: 'Give one head count per stage, or use a named arch (tiny, small, base, large).',
    });
  }
  const outIndex = cfg.out_indices?.[0] ?? 3;
  if (outIndex !== numStages - 1) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${FAMILY}: backbone.out_indices = [${outIndex}] is not supported; only the last stage [${numStages - 1}] feeds the head.`, {
      hint: `Set out_indices=(${numStages - 1},) as the model zoo configs do.`,
    });
  }

  const rg = startRecognizer('swin3d', model, viewShape);
  const { g } = rg;
  const p = cfg.patch_size;
  const m = arch.embed_dims;
  let input = rg.input;
  const clipPad = [clip.frames, clip.height, clip.width].map((s, i) => (s % p[i]! === 0 ? 0 : p[i]! - (s % p[i]!)));
  if (clipPad.some((v) => v > 0)) {
    // PatchEmbed3D pads T, H, W with zeros at the end up to a multiple of the patch size.
    const pads = g.constant('backbone.patch_embed.pads', { dtype: 'int64', dims: [10], data: BigInt64Array.from([0, 0, 0, 0, 0, 0, 0, clipPad[0]!, clipPad[1]!, clipPad[2]!], BigInt) });
    input = g.node('Pad', [input, pads], { mode: 'constant' }, { outputs: [g.uniqueName('backbone.patch_embed.padded')] })[0]!;
  }
  const w = floatConstant(g, 'backbone.patch_embed.proj.weight', weights.param('backbone.patch_embed.proj.weight', [m, cfg.in_channels, ...p]), [m, cfg.in_channels, ...p]);
  const b = floatConstant(g, 'backbone.patch_embed.proj.bias', weights.param('backbone.patch_embed.proj.bias', [m]), [m]);
  const [conv] = g.node('Conv', [input, w, b], { kernel_shape: p, strides: p }, { outputs: [g.uniqueName('backbone.patch_embed.proj')] }); // [V, C, D, H, W]
  let x = transpose(g, conv!, [0, 2, 3, 4, 1], 'backbone.channels_last'); // [V, D, H, W, C]
  if (cfg.patch_norm) x = layerNorm(g, weights, 'backbone.patch_embed.norm', x, m, cfg.norm_cfg.eps);

  const indexFor = indexCache(g, cfg.window_size);
  const layerShift = perAxis((a) => Math.floor(cfg.window_size[a] / 2));
  let stage: StagePlan = { dims: m, heads: arch.num_heads[0]!, size: [Math.ceil(clip.frames / p[0]), Math.ceil(clip.height / p[1]), Math.ceil(clip.width / p[2])] };
  for (let i = 0; i < numStages; i++) {
    stage = { ...stage, heads: arch.num_heads[i]! };
    for (let j = 0; j < arch.depths[i]!; j++) {
      x = swinBlock(g, weights, `backbone.layers.${i}.blocks.${j}`, x, stage, j % 2 === 0 ? [0, 0, 0] : layerShift, cfg, indexFor);
    }
    if (i < numStages - 1) {
      const merged = patchMerging(g, weights, `backbone.layers.${i}.downsample`, x, stage, cfg.norm_cfg.eps);
      x = merged.out;
      stage = { ...stage, dims: 2 * stage.dims, size: merged.size };
    }
  }
  const normed = layerNorm(g, weights, `backbone.norm${numStages - 1}`, x, stage.dims, cfg.norm_cfg.eps); // [V, D, H, W, C]
  const [pooled] = g.node('ReduceMean', [normed], { axes: [1, 2, 3], keepdims: 0 }, { outputs: [g.uniqueName('cls_head.avg_pool')] }); // [V, C]
  return finishRecognizer(rg, weights, pooled!, head);
};
