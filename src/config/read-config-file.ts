import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ActionLensError } from '../core/errors.js';

const MAX_CONFIG_BYTES = 1 << 20;

export type ConfigFormat = 'yaml' | 'json';

/** By extension (.json, .yaml, .yml); otherwise by content: a leading "{" means JSON. */
export function configFormatOf(file: string, text?: string): ConfigFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return text?.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/**
 * Reads and parses a YAML or JSON config file into plain data (not yet validated). An empty file
 * reads as {}. Throws AL_ERR_CONFIG_READ naming the file, and the line and column of a parse error.
 */
export async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ActionLensError('AL_ERR_CONFIG_READ', `Config path ${file} is not a file.`);
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ActionLensError('AL_ERR_CONFIG_READ', `Config file ${file} is ${info.size} bytes; the limit is ${MAX_CONFIG_BYTES}.`);
    }
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof ActionLensError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ActionLensError('AL_ERR_CONFIG_READ', `Cannot read config file ${file}: ${code ?? String(e)}.`, {
      hint: code === 'ENOENT' ? 'Check the path given to --config.' : 'Check the file permissions.',
      cause: e,
    });
  }
  const format = configFormatOf(file, text);
  const data = format === 'json' ? parseJson(file, text) : parseYamlText(file, text);
  return data ?? {};
}

function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    if (!(e instanceof YAMLParseError)) throw e;
    const pos = e.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ActionLensError('AL_ERR_CONFIG_READ', `Cannot parse ${file} as YAML${where}: ${reason}`, {
      hint: 'Fix the YAML syntax there (indentation, a missing ":" or an unclosed quote are common).',
      cause: e,
    });
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    const where = ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
    throw new ActionLensError('AL_ERR_CONFIG_READ', `Cannot parse ${file} as JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`, {
      hint: 'Fix the JSON syntax there (trailing commas and single quotes are not allowed), or write the file as YAML.',
      cause: e,
    });
  }
}
