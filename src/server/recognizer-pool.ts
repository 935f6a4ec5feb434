// Recognizers by model and device, each used by one job at a time: a stream model carries state
// from frame to frame, so two videos must never share one. Loaded sessions are kept for reuse
// (loading a model costs seconds) and closed after a spell of idleness.
import type { Logger } from '../core/logger.js';
import type { AppConfig } from '../core/settings/index.js';
import { createRecognizer, type Recognizer } from '../app/recognizer.js';

export interface RecognizerPool {
  /** Runs `fn` with a recognizer for this config's model and runtime that no other job is using. */
  use<T>(config: AppConfig, fn: (recognizer: Recognizer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

interface Idle {
  recognizer: Recognizer;
  timer: NodeJS.Timeout;
}

export function createRecognizerPool(logger: Logger, idleMs = 10 * 60_000): RecognizerPool {
  const idle = new Map<string, Idle[]>();
  const busy = new Set<Recognizer>();
  const keyOf = (c: AppConfig) => JSON.stringify([c.model, c.runtime, c.store, c.video, c.result_cache]);

  const release = (key: string, recognizer: Recognizer) => {
    busy.delete(recognizer);
    const list = idle.get(key) ?? [];
    const entry: Idle = {
      recognizer,
      timer: setTimeout(() => {
        idle.set(key, (idle.get(key) ?? []).filter((e) => e !== entry));
        void recognizer.close();
      }, idleMs),
    };
    entry.timer.unref();
    list.push(entry);
    idle.set(key, list);
  };

  return {
    async use(config, fn) {
      const key = keyOf(config);
      const reused = idle.get(key)?.pop();
      if (reused) clearTimeout(reused.timer);
      const recognizer = reused?.recognizer ?? (await createRecognizer(config, { logger }));
      busy.add(recognizer);
      try {
        return await fn(recognizer);
      } finally {
        release(key, recognizer);
      }
    },
    async close() {
      const all = [...busy, ...[...idle.values()].flat().map((e) => (clearTimeout(e.timer), e.recognizer))];
      idle.clear();
      busy.clear();
      await Promise.all(all.map((r) => r.close().catch(() => undefined)));
    },
  };
}
