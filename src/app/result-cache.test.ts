import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createResultCache, resultCacheKey } from './result-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'al-rc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const validate = (x: unknown) => {
  if (!x || typeof x !== 'object' || !('timeline' in x)) throw new Error('not a result');
  return x as { timeline: number[] };
};
const parts = { videoSha256: 'a'.repeat(64), modelId: 'm', artifactSha256: 'b'.repeat(64), converterVersion: '1', analysis: { topk: 5, window_sec: 1 } };

describe('result cache', () => {
  it('keys change with any part and not with key order', () => {
    const k = resultCacheKey(parts);
    expect(resultCacheKey({ ...parts, analysis: { window_sec: 1, topk: 5 } })).toBe(k);
    expect(resultCacheKey({ ...parts, analysis: { topk: 3, window_sec: 1 } })).not.toBe(k);
    expect(resultCacheKey({ ...parts, converterVersion: '2' })).not.toBe(k);
    expect(resultCacheKey({ ...parts, videoSha256: 'c'.repeat(64) })).not.toBe(k);
  });

  it('round-trips, and a corrupt entry is dropped and reported as a miss', async () => {
    const cache = createResultCache(dir, validate, silentLogger);
    const key = resultCacheKey(parts);
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, { timeline: [1, 2, 3] });
    expect(await cache.get(key)).toEqual({ timeline: [1, 2, 3] });

    const file = join(dir, `${key}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('[1,2,3]', '[1,2,4]'));
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, { timeline: [1] });
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20)); // truncated
    expect(await cache.get(key)).toBeUndefined();
  });

  it('an entry that no longer matches the schema is a miss', async () => {
    const cache = createResultCache(dir, validate, silentLogger);
    const key = resultCacheKey({ ...parts, modelId: 'other' });
    await cache.put(key, { old: true } as unknown as { timeline: number[] });
    expect(await cache.get(key)).toBeUndefined();
  });
});
