// MMAction2 `ResNet2Plus1d` (R(2+1)D) with I3DHead: the 3D ResNet trunk in which every ConvModule's
// conv is a Conv2plus1d, a spatial (1, kh, kw) conv -> BatchNorm -> ReLU -> temporal (kt, 1, 1) conv.
import { z } from 'zod';
import type { GraphBuilder } from '../onnx/index.js';
import { convBnAct } from './layers/conv-bn-act.js';
import { BN_EPS } from './layers/fold-batchnorm.js';
import { parseConfigPart, trainingOnly } from './layers/parse-config.js';
import type { ConvModuleFn } from './layers/residual-blocks.js';
import { buildResNet3dRecognizer, resnet3dOptions } from './resnet3d.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

const resnet2plus1dSchema = z.strictObject({
  ...resnet3dOptions,
  conv_cfg: z.strictObject({ type: z.literal('Conv2plus1d') }),
  // ResNet2Plus1d.forward always pools after the stem and never after layer1, whatever these say.
  with_pool1: trainingOnly,
  with_pool2: trainingOnly,
});

/**
 * Width of the (2+1)D factorisation's middle plane, chosen so the pair has about the parameters of
 * the full 3D conv (Tran et al. 2018); MMAction2 uses t = 3 whatever the temporal kernel is.
 */
export function conv2plus1dMidChannels(inChannels: number, outChannels: number, kernel: readonly number[]): number {
  const spatial = kernel[1]! * kernel[2]!;
  return Math.trunc((3 * inChannels * outChannels * spatial) / (inChannels * spatial + 3 * outChannels));
}

/**
 * ConvModule(conv_cfg=Conv2plus1d) at `prefix`: `<prefix>.conv.{conv_s, bn_s, conv_t}` and the
 * module's own `<prefix>.bn`. bn_s is built by Conv2plus1d with its default BN3d (eps 1e-5), not
 * with the backbone's norm_cfg.
 */
export function conv2plus1dModule(g: GraphBuilder, weights: WeightSource, eps: number): ConvModuleFn {
  return (x, prefix, spec, activation) => {
    const [kt, kh, kw] = spec.kernel as [number, number, number];
    const [st, sh, sw] = spec.stride as [number, number, number];
    const [pt, ph, pw] = spec.padding as [number, number, number];
    const mid = conv2plus1dMidChannels(x.dims[0]!, spec.outChannels, spec.kernel);
    const spatial = convBnAct(g, weights, x, { convWeight: `${prefix}.conv.conv_s.weight`, bn: `${prefix}.conv.bn_s` },
      { outChannels: mid, kernel: [1, kh, kw], stride: [1, sh, sw], padding: [0, ph, pw] }, { eps: BN_EPS, activation: 'relu' });
    return convBnAct(g, weights, spatial, { convWeight: `${prefix}.conv.conv_t.weight`, bn: `${prefix}.bn` },
      { outChannels: spec.outChannels, kernel: [kt, 1, 1], stride: [st, 1, 1], padding: [pt, 0, 0] }, { eps, activation });
  };
}

export const buildR2plus1d: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(resnet2plus1dSchema, model.backbone, 'backbone');
  const trunk = { ...cfg, with_pool1: true, with_pool2: false };
  return buildResNet3dRecognizer(model, weights, viewShape, 'R(2+1)D', trunk, (g) => conv2plus1dModule(g, weights, cfg.norm_cfg.eps));
};
