// Every MMAction2 backbone we can build, in one typed table keyed by the config's backbone.type.
// Each entry lives in its own file (one file per family).
import type { RecognizerBuilder } from './types.js';
import { buildC2d } from './c2d.js';
import { buildMobileNetV2Tsm } from './mobilenetv2-tsm.js';
import { buildR2plus1d } from './r2plus1d.js';
import { buildTsn } from './resnet2d.js';
import { buildResNet3d, buildSlowOnly } from './resnet3d.js';
import { buildTsm } from './tsm.js';
import { buildX3d } from './x3d.js';
import { buildSlowFast } from './slowfast.js';
import { buildTimesformer } from './timesformer.js';
import { buildVideoMaeVit } from './videomae-vit.js';
import { buildMvit } from './mvit.js';
import { buildSwin3d } from './swin3d.js';

export const MMACTION2_BACKBONES: Record<string, RecognizerBuilder> = {
  // entries added one per family, e.g. ResNet: buildTsn,
  ResNet: buildTsn,
  ResNetTSM: buildTsm,
  MobileNetV2TSM: buildMobileNetV2Tsm,
  ResNet3d: buildResNet3d,
  ResNet3dSlowOnly: buildSlowOnly,
  C2D: buildC2d,
  ResNet2Plus1d: buildR2plus1d,
  X3D: buildX3d,
  ResNet3dSlowFast: buildSlowFast,
  TimeSformer: buildTimesformer,
  VisionTransformer: buildVideoMaeVit,
  MViT: buildMvit,
  SwinTransformer3D: buildSwin3d,
};
