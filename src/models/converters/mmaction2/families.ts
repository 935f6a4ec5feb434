// Every MMAction2 backbone we can build, in one typed table keyed by the config's backbone.type.
// Each entry lives in its own file (one file per family).
import type { RecognizerBuilder } from './types.js';

export const MMACTION2_BACKBONES: Record<string, RecognizerBuilder> = {
  // entries added one per family, e.g. ResNet: buildTsn,
};
