// A user's own MMAction2 checkpoint: the architecture comes from a zoo entry (by id or family) or
// from a config's model dict, the protocol from that config's test_pipeline or the matching zoo
// entry, and num_classes may be overridden for a fine-tuned head.
import { ActionLensError } from '../../core/errors.js';
import type { ModelSpec } from '../spec.js';
import { listModels } from '../zoo.js';
import { inputFromPipeline } from './pipeline-input.js';

export type Mmaction2Block = NonNullable<ModelSpec['mmaction2']>;

export interface Mmaction2Arch {
  /** The zoo entry the architecture or protocol came from, if any. */
  zooId?: string;
  family: string;
  mmaction2: Mmaction2Block;
  input: ModelSpec['input'];
  output: ModelSpec['output'];
}

function mmaction2Zoo(): ModelSpec[] {
  return listModels().filter((s) => s.mmaction2 !== undefined);
}

function fromEntry(spec: ModelSpec): Mmaction2Arch {
  return { zooId: spec.id, family: spec.family, mmaction2: spec.mmaction2!, input: spec.input, output: spec.output };
}

/** `name` is a zoo id (`tsm-mobilenetv2-1x1x8-k400`), the same without `-k400` or with `_`, or a family (`x3d`). */
export function archFromZoo(name: string): Mmaction2Arch {
  const zoo = mmaction2Zoo();
  const wanted = name.trim().toLowerCase().replace(/_/g, '-');
  const byId = zoo.find((s) => s.id === wanted || s.id === `${wanted}-k400`);
  if (byId) return fromEntry(byId);
  const byFamily = zoo.find((s) => s.family === wanted);
  if (byFamily) return fromEntry(byFamily);
  const families = [...new Set(zoo.map((s) => s.family))];
  throw new ActionLensError(
    'AL_ERR_INVALID_SETTINGS',
    `--arch '${name}' is not an MMAction2 zoo id, family or config file. Families: ${families.join(', ')}. Ids: ${zoo.map((s) => s.id).join(', ')}.`,
    { hint: 'Pass one of those, or a config file (.json/.yaml) holding the model dict (optionally {model, test_pipeline}).' },
  );
}

/**
 * `data` is a config as plain data: `{model, test_pipeline?}` or a bare model dict. Without a
 * test_pipeline the protocol of the first zoo entry with the same backbone is used.
 */
export function archFromConfig(data: unknown, origin: string): Mmaction2Arch {
  const root = isRecord(data) ? data : {};
  const model = isRecord(root.model) ? root.model : root;
  if (typeof model.type !== 'string' || !isRecord(model.backbone) || !isRecord(model.cls_head)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `${origin} has no MMAction2 model dict: expected {type, backbone: {type, ...}, cls_head: {type, num_classes, ...}} at the top or under 'model'.`, {
      hint: "Dump the config's model dict to JSON/YAML, e.g. from Python: json.dump(Config.fromfile(path).model, f).",
    });
  }
  const backboneType = String(model.backbone.type);
  const sameBackbone = mmaction2Zoo().find((s) => s.mmaction2!.model.backbone.type === backboneType);
  const pipeline = Array.isArray(root.test_pipeline) ? (root.test_pipeline as Mmaction2Block['test_pipeline']) : undefined;
  if (!pipeline && !sameBackbone) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `${origin} has no test_pipeline and no zoo model uses backbone '${backboneType}' to borrow one from.`, {
      hint: 'Save the config as {model: ..., test_pipeline: [...]} so the input protocol is known.',
    });
  }
  const preprocessor = isRecord(model.data_preprocessor) ? model.data_preprocessor : {};
  const input = pipeline ? inputFromPipeline(pipeline, preprocessor) : sameBackbone!.input;
  const mmaction2 = { model, test_pipeline: pipeline ?? sameBackbone!.mmaction2!.test_pipeline } as Mmaction2Block;
  const averageClips = model.cls_head.average_clips === 'score' ? 'score' : 'prob';
  return {
    zooId: pipeline ? undefined : sameBackbone!.id,
    family: sameBackbone?.family ?? backboneType.toLowerCase().replace(/[^a-z0-9_+-]/g, ''),
    mmaction2,
    input: input as ModelSpec['input'],
    output: { kind: 'logits', view_average: averageClips },
  };
}

/** A new arch whose head has `numClasses` outputs (a fine-tuned checkpoint); the input is unchanged. */
export function withNumClasses(arch: Mmaction2Arch, numClasses: number): Mmaction2Arch {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `--num-classes must be a positive integer; got ${numClasses}.`);
  }
  const model = structuredClone(arch.mmaction2.model);
  model.cls_head = { ...model.cls_head, num_classes: numClasses };
  return { ...arch, mmaction2: { ...arch.mmaction2, model } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
