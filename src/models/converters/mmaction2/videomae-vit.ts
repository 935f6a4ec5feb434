// VideoMAE ViT (backbone.type 'VisionTransformer', mmaction/models/backbones/vit_mae.py): tubelet
// Conv3d patch embedding, pos_embed (a state_dict buffer), pre-norm blocks whose qkv bias is
// (q_bias, 0, v_bias), optional layer-scale gammas, then mean pooling + fc_norm (or the first token
// after a final norm). Logits: TimeSformerHead's fc_cls on that vector.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import type { GraphBuilder } from '../onnx/index.js';
import { parseConfigPart } from './layers/parse-config.js';
import { selfAttention } from './layers/transformer-attention.js';
import { layerNorm, mlp } from './layers/transformer-ops.js';
import { finishRecognizer, parseLinearHead, startRecognizer } from './layers/transformer-recognizer.js';
import { binary, floatConstant, reshape, sliceAxis, transpose } from './layers/transformer-shapes.js';
import { clipShape, requireClipDim } from './layers/transformer-view.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

const VitSchema = z.strictObject({
  type: z.literal('VisionTransformer'),
  img_size: z.number().int().positive().default(224),
  patch_size: z.number().int().positive().default(16),
  in_channels: z.number().int().positive().default(3),
  embed_dims: z.number().int().positive().default(768),
  depth: z.number().int().positive().default(12),
  num_heads: z.number().int().positive().default(12),
  mlp_ratio: z.number().positive().default(4),
  qkv_bias: z.boolean().default(true),
  qk_scale: z.number().positive().nullable().default(null),
  drop_rate: z.number().min(0).max(1).default(0), // dropout and drop path: identity at inference
  attn_drop_rate: z.number().min(0).max(1).default(0),
  drop_path_rate: z.number().min(0).max(1).default(0),
  norm_cfg: z.strictObject({ type: z.literal('LN'), eps: z.number().positive().default(1e-5) }).default({ type: 'LN', eps: 1e-6 }),
  init_values: z.number().min(0).default(0),
  use_learnable_pos_emb: z.boolean().default(false),
  num_frames: z.number().int().positive().default(16),
  tubelet_size: z.number().int().positive().default(2),
  use_mean_pooling: z.boolean().default(true),
  pretrained: z.string().nullable().optional(),
  return_feat_map: z.literal(false).default(false),
  init_cfg: z.unknown().optional(),
});
type VitConfig = z.output<typeof VitSchema>;

const FAMILY = 'VisionTransformer';

/** Attention at `path`: qkv without its own bias, q_bias and v_bias around a zero k bias. */
function attention(g: GraphBuilder, weights: WeightSource, path: string, x: string, cfg: VitConfig): string {
  const m = cfg.embed_dims;
  let bias: Float32Array | undefined;
  if (cfg.qkv_bias) {
    bias = new Float32Array(3 * m);
    bias.set(weights.param(`${path}.q_bias`, [m]), 0);
    bias.set(weights.param(`${path}.v_bias`, [m]), 2 * m);
  }
  return selfAttention(g, x, {
    qkv: { weight: weights.param(`${path}.qkv.weight`, [3 * m, m]), bias, inFeatures: m, outFeatures: 3 * m },
    proj: { weight: weights.param(`${path}.proj.weight`, [m, m]), bias: weights.param(`${path}.proj.bias`, [m]), inFeatures: m, outFeatures: m },
    heads: cfg.num_heads,
    dims: m,
    scale: cfg.qk_scale ?? (m / cfg.num_heads) ** -0.5,
    name: path,
  });
}

/** Multiplies a residual branch by the block's layer-scale gamma when init_values > 0. */
function layerScale(g: GraphBuilder, weights: WeightSource, key: string, x: string, cfg: VitConfig): string {
  if (!(cfg.init_values > 0)) return x;
  return binary(g, 'Mul', x, floatConstant(g, key, weights.param(key, [cfg.embed_dims]), [cfg.embed_dims]), key);
}

export const buildVideoMaeVit: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(VitSchema, model.backbone, 'backbone');
  const head = parseLinearHead(model, ['TimeSformerHead']);
  const clip = clipShape(viewShape, FAMILY);
  const m = cfg.embed_dims;
  requireClipDim(FAMILY, 'channels', clip.channels, cfg.in_channels, 'backbone.in_channels');
  requireClipDim(FAMILY, 'frames', clip.frames, cfg.num_frames, 'pos_embed covers num_frames / tubelet_size time steps');
  // Other sizes would need MMAction2's bicubic pos_embed resize, which is not built here.
  requireClipDim(FAMILY, 'height', clip.height, cfg.img_size, 'pos_embed covers img_size');
  requireClipDim(FAMILY, 'width', clip.width, cfg.img_size, 'pos_embed covers img_size');
  if (cfg.img_size % cfg.patch_size !== 0 || cfg.num_frames % cfg.tubelet_size !== 0 || m % cfg.num_heads !== 0) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${FAMILY}: img_size ${cfg.img_size} must be a multiple of patch_size ${cfg.patch_size}, num_frames ${cfg.num_frames} of tubelet_size ${cfg.tubelet_size}, and embed_dims ${m} of num_heads ${cfg.num_heads}.`, {
      hint: 'Use a VideoMAE config from the MMAction2 model zoo.',
    });
  }
  const grid = cfg.img_size / cfg.patch_size;
  const tokens = (cfg.num_frames / cfg.tubelet_size) * grid * grid;
  const kernel = [cfg.tubelet_size, cfg.patch_size, cfg.patch_size];

  const rg = startRecognizer('videomae_vit', model, viewShape);
  const { g } = rg;
  const w = floatConstant(g, 'backbone.patch_embed.projection.weight', weights.param('backbone.patch_embed.projection.weight', [m, cfg.in_channels, ...kernel]), [m, cfg.in_channels, ...kernel]);
  const b = floatConstant(g, 'backbone.patch_embed.projection.bias', weights.param('backbone.patch_embed.projection.bias', [m]), [m]);
  const [conv] = g.node('Conv', [rg.input, w, b], { kernel_shape: kernel, strides: kernel }, { outputs: [g.uniqueName('backbone.patch_embed.projection')] }); // [V, M, T', H', W']
  const flat = transpose(g, reshape(g, conv!, [0, m, tokens], 'backbone.patch_embed.flat'), [0, 2, 1], 'backbone.patch_embed.tokens'); // [V, N, M]
  let x = binary(g, 'Add', flat, floatConstant(g, 'backbone.pos_embed', weights.param('backbone.pos_embed', [1, tokens, m]), [1, tokens, m]), 'backbone.pos_added');

  const hidden = Math.trunc(m * cfg.mlp_ratio);
  for (let i = 0; i < cfg.depth; i++) {
    const block = `backbone.blocks.${i}`;
    const attn = attention(g, weights, `${block}.attn`, layerNorm(g, weights, `${block}.norm1`, x, m, cfg.norm_cfg.eps), cfg);
    x = binary(g, 'Add', x, layerScale(g, weights, `${block}.gamma_1`, attn, cfg), `${block}.attn_out`);
    const ffn = mlp(g, weights, layerNorm(g, weights, `${block}.norm2`, x, m, cfg.norm_cfg.eps), { fc1: `${block}.mlp.layers.0.0`, fc2: `${block}.mlp.layers.1`, inFeatures: m, hiddenFeatures: hidden });
    x = binary(g, 'Add', x, layerScale(g, weights, `${block}.gamma_2`, ffn, cfg), `${block}.out`);
  }

  let features: string; // [V, M]
  if (cfg.use_mean_pooling) {
    const [mean] = g.node('ReduceMean', [x], { axes: [1], keepdims: 0 }, { outputs: [g.uniqueName('backbone.token_mean')] });
    features = layerNorm(g, weights, 'backbone.fc_norm', mean!, m, cfg.norm_cfg.eps);
  } else {
    const normed = layerNorm(g, weights, 'backbone.norm', x, m, cfg.norm_cfg.eps);
    features = reshape(g, sliceAxis(g, normed, 1, 0, 1, 1, 'backbone.first_token'), [-1, m], 'backbone.features');
  }
  return finishRecognizer(rg, weights, features, head);
};
