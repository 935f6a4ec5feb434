// Results keyed by everything that can change them: the video bytes, the model artifact, the
// converter and the analysis settings. An entry carries a checksum of its own document, so a
// truncated or edited entry is noticed and recomputed instead of being served.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { stableStringify } from '../core/stable-json.js';
import { writeFileAtomic } from '../io/atomic-write.js';

export interface ResultCacheKeyParts {
  videoSha256: string;
  modelId: string;
  artifactSha256: string;
  converterVersion: string;
  /** runtime.precision asked for (the document records it). */
  precision?: string;
  /** Set when the ONNX that runs is not the converter's own output (an int8 copy). */
  onnxSha256?: string;
  /** The analysis settings that shape the result (never paths, threads or log levels). */
  analysis: unknown;
}

export function resultCacheKey(parts: ResultCacheKeyParts): string {
  return createHash('sha256').update(stableStringify({ v: 1, ...parts })).digest('hex');
}

export interface ResultCache<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, doc: T): Promise<void>;
}

interface Entry {
  checksum: string;
  document: unknown;
}

const checksumOf = (doc: unknown) => createHash('sha256').update(JSON.stringify(doc)).digest('hex');

/** `validate` throws on a document that does not match the current schema. */
export function createResultCache<T>(dir: string, validate: (x: unknown) => T, logger: Logger): ResultCache<T> {
  const pathOf = (key: string) => join(dir, `${key}.json`);
  return {
    async get(key) {
      let text: string;
      try {
        text = await readFile(pathOf(key), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const entry = JSON.parse(text) as Entry;
        if (entry.checksum !== checksumOf(entry.document)) throw new Error('checksum mismatch');
        return validate(entry.document);
      } catch (e) {
        logger.warn({ key, reason: (e as Error).message }, 'result cache entry is corrupt; recomputing');
        await rm(pathOf(key), { force: true });
        return undefined;
      }
    },
    async put(key, doc) {
      await mkdir(dir, { recursive: true });
      const entry: Entry = { checksum: checksumOf(doc), document: doc };
      await writeFileAtomic(pathOf(key), JSON.stringify(entry));
    },
  };
}
