// Reads a model's label map (assets/labels, or an absolute path for user models) and checks its
// sha256 and its number of labels against the spec.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActionLensError } from '../../core/errors.js';
import { parseLabelMap } from '../labels.js';
import type { ModelSpec } from '../spec.js';
import { sha256Bytes } from './hash.js';

/** assets/labels at the package root (same relative place from src/ and dist/). */
export const DEFAULT_LABELS_DIR = fileURLToPath(new URL('../../../assets/labels/', import.meta.url));

export async function loadLabels(
  spec: Pick<ModelSpec, 'id' | 'labels' | 'num_classes'>,
  options: { labelsDir?: string } = {},
): Promise<string[]> {
  const file = path.isAbsolute(spec.labels.file) ? spec.labels.file : path.join(options.labelsDir ?? DEFAULT_LABELS_DIR, spec.labels.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new ActionLensError('AL_ERR_LABELS_INVALID', `Label map for model '${spec.id}' cannot be read: ${file}.`, {
      hint: 'Reinstall actionlens, or fix labels.file in the model spec (relative to assets/labels, or an absolute path).',
      cause,
    });
  }
  const actual = sha256Bytes(bytes);
  if (actual !== spec.labels.sha256) {
    throw new ActionLensError('AL_ERR_LABELS_INVALID', `Label map ${file} has sha256 ${actual}, but model '${spec.id}' expects ${spec.labels.sha256}.`, {
      hint: 'The file was edited or replaced; restore it, or update labels.sha256 in the model spec if the change is intended.',
    });
  }
  return parseLabelMap(new TextDecoder().decode(bytes), spec.num_classes, file);
}
