// Shared setup for the store tests: the real MoViNet file, temp cache dirs, a recording logger.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../src/core/logger.js';
import type { ModelSpec } from '../../src/models/spec.js';
import { getModelSpec } from '../../src/models/zoo.js';

export const SHARED_MODELS = path.resolve(process.cwd(), '../shared/models');
export const MOVINET_FILE = path.join(SHARED_MODELS, 'movinet_a0_stream_int8_kinetics600.tflite');
export const MOVINET_BYTES: Uint8Array = readFileSync(MOVINET_FILE);

/** The zoo's MoViNet spec with its URLs pointed somewhere local. */
export function movinetSpecAt(...urls: string[]): ModelSpec {
  const spec = getModelSpec('movinet-a0-stream-k600');
  return { ...spec, source: { ...spec.source, urls } };
}

export function makeTempDir(prefix = 'actionlens-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object | string, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
