// Settings file text <-> data, YAML or JSON. Loaded on demand by the page (the YAML library is
// the largest part of it and only needed when saving or loading a file).
import { Document, parse as parseYaml } from 'yaml';
import { ActionLensError } from '../../../src/core/errors.js';
import { settingsFileData, type SettingsFile } from './settings-file.js';

export type SettingsFormat = 'yaml' | 'json';

/** Bigger than any settings file; refuses a video picked by mistake before reading it. */
export const MAX_SETTINGS_FILE_BYTES = 1024 * 1024;

const HEADER = [
  ' actionlens settings, saved by the web page.',
  ' Load it in the page again, or give it to the CLI with --config <this file>.',
];

export function serializeSettings(file: SettingsFile, format: SettingsFormat): string {
  const data = settingsFileData(file);
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  const doc = new Document(data);
  doc.commentBefore = HEADER.join('\n');
  return doc.toString({ lineWidth: 0 });
}

export function formatForFileName(name: string): SettingsFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return null;
}

/** File text -> plain data (not yet checked). Throws AL_ERR_CONFIG_READ naming the file. */
export function parseSettingsText(text: string, fileName: string): unknown {
  const format = formatForFileName(fileName);
  if (format === null) {
    throw new ActionLensError('AL_ERR_CONFIG_READ', `${fileName}: not a settings file (expected .yaml, .yml or .json).`, {
      hint: 'Pick a file saved with "Save YAML" or "Save JSON", or an actionlens config file.',
    });
  }
  if (text.trim() === '') {
    throw new ActionLensError('AL_ERR_CONFIG_READ', `${fileName} is empty.`, { hint: 'Pick a file saved with "Save YAML" or "Save JSON".' });
  }
  try {
    return format === 'json' ? (JSON.parse(text) as unknown) : (parseYaml(text, { prettyErrors: true }) as unknown);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ActionLensError('AL_ERR_CONFIG_READ', `${fileName} is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${reason}`, {
      hint: 'Fix the syntax at the place named, or save the settings again from the page.',
    });
  }
}
