// Reads one part of an MMAction2 config (backbone, head, pathway) through a zod schema: defaults
// filled, unknown keys refused, and every problem reported as the key, the value and what is allowed.
import { z } from 'zod';
import { ActionLensError } from '../../../../core/errors.js';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** Returns a new object with defaults filled; throws AL_ERR_CONVERSION_FAILED naming each bad key. */
export function parseConfigPart<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return `${key}: unknown option(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${key} = ${JSON.stringify(valueAt(value, issue.path)) ?? 'undefined'}: ${issue.message}`;
  });
  throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Unsupported MMAction2 config: ${problems.join('; ')}.`, {
    hint: 'Use a config from the MMAction2 1.x model zoo for this family, or remove the options the converter does not support.',
  });
}

/** A config key that only matters for training or weight init (pretrained, with_cp, loss_cls...). */
export const trainingOnly = z.unknown().optional();

/** BaseHead options that do not change the head's scores. */
export const baseHeadOptions = {
  loss_cls: trainingOnly,
  multi_class: trainingOnly,
  label_smooth_eps: trainingOnly,
  topk: trainingOnly,
  average_clips: trainingOnly, // applied in postprocess, after the graph
  init_cfg: trainingOnly,
  init_std: trainingOnly,
  dropout_ratio: trainingOnly, // dropout is the identity at inference
};

/** conv_cfg / norm_cfg / act_cfg for 3D conv nets: the values the converter can build. */
export const conv3dCfg = z.strictObject({ type: z.literal('Conv3d') });
export const bn3dCfg = z.strictObject({
  type: z.enum(['BN3d', 'BN']),
  requires_grad: trainingOnly,
  momentum: trainingOnly,
  eps: z.number().positive().optional(),
});
export const reluCfg = z.strictObject({ type: z.literal('ReLU'), inplace: trainingOnly });
