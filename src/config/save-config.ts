import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { ActionLensError } from '../core/errors.js';
import type { AppConfig } from '../core/settings/schema.js';
import { validateConfig } from '../core/settings/validate.js';
import { writeOutputFile } from '../io/atomic-write.js';

/**
 * Writes a full, validated config as YAML (.yaml, .yml) or JSON (.json), atomically. Validation and
 * serialisation happen before the file system is touched, so a bad config never replaces a good file.
 */
export async function saveConfig(file: string, config: AppConfig): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') {
    throw new ActionLensError(
      'AL_ERR_OUTPUT_UNWRITABLE',
      `Cannot save a config as ${file}: the extension "${ext}" is not one of .yaml, .yml, .json.`,
      { hint: 'Name the file config.yaml or config.json.' },
    );
  }
  const valid = validateConfig(config, 'the config to save');
  const text =
    ext === '.json'
      ? `${JSON.stringify(valid, null, 2)}\n`
      : `# actionlens config (see configs/app.yaml in the package for every key and its meaning)\n${stringifyYaml(valid)}`;
  await writeOutputFile(file, text);
}
