// `--model` is a zoo id, or the path of a ModelSpec file (YAML or JSON) for a model of your own:
// one `actionlens models convert` wrote, or a zoo entry copied and pointed at your checkpoint.
// A spec file's folder is also where its artifact is looked for (an implicit mirror), and a
// relative labels.file is read from beside it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ActionLensError } from '../core/errors.js';
import { validateModelSpec, type ModelSpec } from './spec.js';
import { getModelSpec } from './zoo.js';

export interface ResolvedModel {
  spec: ModelSpec;
  /** Folders to look in for the artifact before the configured mirrors. */
  mirrors: string[];
}

export function isModelSpecPath(model: string): boolean {
  return /\.(ya?ml|json)$/i.test(model);
}

export async function resolveModel(model: string): Promise<ResolvedModel> {
  if (!isModelSpecPath(model)) return { spec: getModelSpec(model), mirrors: [] };
  let text: string;
  try {
    text = await readFile(model, 'utf8');
  } catch (e) {
    throw new ActionLensError('AL_ERR_UNKNOWN_MODEL', `Model spec file ${model} cannot be read: ${(e as NodeJS.ErrnoException).code ?? e}.`, {
      hint: 'Give a zoo id (`actionlens models list`) or the path of a model spec (.yaml/.json), e.g. one `actionlens models convert --labels` wrote.',
      cause: e,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text); // YAML is a superset of JSON
  } catch (e) {
    throw new ActionLensError('AL_ERR_CONFIG_READ', `Model spec file ${model} is not valid YAML/JSON: ${(e as Error).message}`, { cause: e });
  }
  const dir = path.dirname(path.resolve(model));
  const spec = validateModelSpec(data, model);
  if (!path.isAbsolute(spec.labels.file) && existsSync(path.join(dir, spec.labels.file))) {
    spec.labels = { ...spec.labels, file: path.join(dir, spec.labels.file) };
  }
  return { spec, mirrors: [dir] };
}
