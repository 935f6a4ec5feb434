// Shared setup for the live (webcam) tests: the real MoViNet-A0 file converted through the engine's
// own store (the ../shared models folder as a mirror, a temp cache dir, offline), and the frames of
// a real clip decoded as the model takes them (172x172, plain resize, 5 fps).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { DEFAULT_CONFIG, type AppConfig } from '../../src/core/settings/index.js';
import { prepareModel, type PreparedModel } from '../../src/app/prepare-model.js';
import { decodeFrames, locateFfmpeg } from '../../src/video/index.js';

export const SHARED = path.resolve(process.cwd(), '../shared');
export const SHARED_MODELS = path.join(SHARED, 'models');
export const MOVINET_ID = 'movinet-a0-stream-k600';
export const MOVINET_FILE = path.join(SHARED_MODELS, 'movinet_a0_stream_int8_kinetics600.tflite');
export const media = (name: string): string => path.join(SHARED, 'media', name);
export const haveSharedData = existsSync(MOVINET_FILE) && existsSync(media('carving_ice.mp4'));

export interface LiveSandbox {
  config: AppConfig;
  /** The engine's prepareModel for any zoo id, in this sandbox's cache. */
  prepare(modelId: string, signal?: AbortSignal): Promise<PreparedModel>;
  cleanup(): void;
}

export function makeLiveSandbox(prefix: string): LiveSandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), `actionlens-${prefix}-`));
  const config: AppConfig = {
    ...structuredClone(DEFAULT_CONFIG),
    store: { cache_dir: path.join(dir, 'cache'), mirrors: [SHARED_MODELS], offline: true },
    result_cache: { enabled: false },
    runtime: { ...DEFAULT_CONFIG.runtime, threads: 1 },
  };
  return {
    config,
    prepare: (modelId, signal) => prepareModel({ ...config, model: modelId }, { logger: silentLogger, signal }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every frame of a clip at the model's size and rate, as the recognizer decodes it. */
export async function decodeModelFrames(file: string, size = 172, fps = 5): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  const stream = decodeFrames(file, { geometry: { kind: 'exact', width: size, height: size }, fps, tools: locateFfmpeg() });
  for await (const f of stream) frames.push(f.data);
  return frames;
}
