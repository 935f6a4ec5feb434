// Checkpoint -> weights: find the state dict inside a checkpoint and check it against the keys
// and shapes a model expects, reporting problems as PyTorch's strict load_state_dict does.
import { ActionLensError } from '../../../core/errors.js';
import { invalidCheckpoint } from './checkpoint-error.js';
import { describeValue, dictGet, isPickleDict, type PickleDict, type PickleValue } from './pickle-values.js';
import type { TorchTensor } from './torch-values.js';

export interface StateDict {
  /** Tensors by key in checkpoint order, with a leading `module.` (DataParallel/DDP) removed. */
  readonly tensors: ReadonlyMap<string, TorchTensor>;
  /** The dict's `_metadata` attribute (per-module versions), when present. */
  readonly metadata: PickleValue | undefined;
  /** Where the dict was found: `root['state_dict']`, `root['model']` or the root itself. */
  readonly source: 'state_dict' | 'model' | 'root';
}

/** Module extra state (`get_extra_state`) is not a tensor and carries no weights. */
const EXTRA_STATE_SUFFIX = '_extra_state';
const WRAPPER_PREFIX = 'module.';

/** Handles OpenMMLab `{meta, state_dict, ...}`, `{model: ...}` and bare state dicts. */
export function extractStateDict(root: PickleValue): StateDict {
  if (!isPickleDict(root)) throw invalidCheckpoint(`The checkpoint holds a ${describeValue(root)}, not a dict of weights.`);
  for (const source of ['state_dict', 'model'] as const) {
    const inner = dictGet(root, source);
    if (isPickleDict(inner)) return { tensors: collectTensors(inner), metadata: inner.attributes.get('_metadata'), source };
  }
  if ([...root.entries.values()].some(isTensor)) return { tensors: collectTensors(root), metadata: root.attributes.get('_metadata'), source: 'root' };
  const keys = [...root.entries.keys()].slice(0, 10).map(String).join(', ');
  throw invalidCheckpoint(`The checkpoint has no state dict: top-level keys are ${keys || '(none)'}; expected 'state_dict', 'model' or tensors.`);
}

function isTensor(value: PickleValue): value is TorchTensor {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'tensor';
}

function collectTensors(dict: PickleDict): Map<string, TorchTensor> {
  const tensors = new Map<string, TorchTensor>();
  for (const [rawKey, value] of dict.entries) {
    if (typeof rawKey !== 'string') throw invalidCheckpoint(`State dict key ${describeValue(rawKey)} is not a string.`);
    if (!isTensor(value)) {
      if (rawKey.endsWith(EXTRA_STATE_SUFFIX)) continue;
      throw invalidCheckpoint(`State dict entry '${rawKey}' is a ${describeValue(value)}, not a tensor.`);
    }
    const key = rawKey.startsWith(WRAPPER_PREFIX) ? rawKey.slice(WRAPPER_PREFIX.length) : rawKey;
    if (tensors.has(key)) throw invalidCheckpoint(`State dict has both '${key}' and '${WRAPPER_PREFIX}${key}'; cannot tell which to use.`);
    tensors.set(key, value);
  }
  return tensors;
}

export interface ExpectedWeight {
  readonly key: string;
  readonly shape: readonly number[];
}

export interface SizeMismatch {
  readonly key: string;
  readonly checkpointShape: readonly number[];
  readonly modelShape: readonly number[];
}

export interface StateDictMatch {
  readonly ok: boolean;
  /** Expected by the model, absent from the checkpoint (model order). */
  readonly missing: readonly string[];
  /** In the checkpoint, not expected by the model (checkpoint order). */
  readonly unexpected: readonly string[];
  readonly sizeMismatches: readonly SizeMismatch[];
}

export function matchStateDict(expected: readonly ExpectedWeight[], got: StateDict | ReadonlyMap<string, TorchTensor>): StateDictMatch {
  const tensors = got instanceof Map ? (got as ReadonlyMap<string, TorchTensor>) : (got as StateDict).tensors;
  const expectedKeys = new Set(expected.map((e) => e.key));
  const missing = expected.filter((e) => !tensors.has(e.key)).map((e) => e.key);
  const unexpected = [...tensors.keys()].filter((k) => !expectedKeys.has(k));
  const sizeMismatches: SizeMismatch[] = [];
  for (const { key, shape } of expected) {
    const tensor = tensors.get(key);
    if (tensor && !sameShape(tensor.shape, shape)) sizeMismatches.push({ key, checkpointShape: tensor.shape, modelShape: shape });
  }
  return { ok: missing.length + unexpected.length + sizeMismatches.length === 0, missing, unexpected, sizeMismatches };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Lists longer than this are cut in the message (the StateDictMatch keeps them all). */
const MAX_LISTED_KEYS = 20;

/** PyTorch's strict load_state_dict wording, so the text is familiar and searchable. */
export function formatStateDictMismatch(match: StateDictMatch, modelName: string): string {
  const keyList = (keys: readonly string[]) =>
    keys.slice(0, MAX_LISTED_KEYS).map((k) => `"${k}"`).join(', ') + (keys.length > MAX_LISTED_KEYS ? `, ... (${keys.length - MAX_LISTED_KEYS} more)` : '');
  const lines: string[] = [];
  if (match.missing.length) lines.push(`Missing key(s) in state_dict: ${keyList(match.missing)}. `);
  if (match.unexpected.length) lines.push(`Unexpected key(s) in state_dict: ${keyList(match.unexpected)}. `);
  for (const m of match.sizeMismatches) {
    lines.push(`size mismatch for ${m.key}: copying a param with shape [${m.checkpointShape.join(', ')}] from checkpoint, the shape in current model is [${m.modelShape.join(', ')}].`);
  }
  return `Error(s) in loading state_dict for ${modelName}:\n\t${lines.join('\n\t')}`;
}

/** Throws AL_ERR_CHECKPOINT_MISMATCH unless every expected key is present with its shape and nothing else is. */
export function assertStateDictMatches(expected: readonly ExpectedWeight[], got: StateDict | ReadonlyMap<string, TorchTensor>, modelName: string): void {
  const match = matchStateDict(expected, got);
  if (match.ok) return;
  throw new ActionLensError('AL_ERR_CHECKPOINT_MISMATCH', formatStateDictMismatch(match, modelName), {
    hint: 'The checkpoint was made for a different model or config: check that the model id and the checkpoint URL belong together.',
  });
}
