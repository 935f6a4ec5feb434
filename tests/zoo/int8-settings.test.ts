// The int8 option's refusals: a stream model, no calibration video, a precision that does not
// exist. Each says what is wrong and what to do instead.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ensureQuantized } from '../../src/app/quantize-model.js';
import { silentLogger } from '../../src/core/logger.js';
import { DEFAULT_CONFIG, validateConfig } from '../../src/core/settings/index.js';
import { getModelSpec } from '../../src/models/zoo.js';

const base = {
  fp32OnnxPath: '/nonexistent.onnx',
  fp32OnnxSha256: '0'.repeat(64),
  cacheDir: tmpdir(),
  tools: { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' },
  runtime: {},
  logger: silentLogger,
};

describe('int8 settings', () => {
  it('refuses a stream model and says it already runs int8 weights', async () => {
    const err = await ensureQuantized({ ...base, spec: getModelSpec('movinet-a0-stream-k600'), calibrationVideos: [{ path: 'x.mp4' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AL_ERR_INVALID_SETTINGS' });
    expect(String((err as Error).message)).toContain("'movinet-a0-stream-k600' is a stream model");
    expect((err as { hint?: string }).hint).toMatch(/already run int8 weights: set runtime.precision to fp32/);
  });

  it('needs at least one calibration video', async () => {
    const err = await ensureQuantized({ ...base, spec: getModelSpec('tsn-r50-1x1x8-k400'), calibrationVideos: [] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AL_ERR_INVALID_SETTINGS', message: 'int8 needs at least one calibration video.' });
  });

  it('the settings schema names the allowed precisions', () => {
    expect(() => validateConfig({ ...DEFAULT_CONFIG, runtime: { ...DEFAULT_CONFIG.runtime, precision: 'int4' } }, 'test')).toThrow(/runtime\.precision[\s\S]*fp32[\s\S]*int8/);
    expect(validateConfig({ ...DEFAULT_CONFIG, runtime: { ...DEFAULT_CONFIG.runtime, precision: 'int8', calibration: ['a.mp4'] } }, 'test').runtime).toMatchObject({ precision: 'int8', calibration: ['a.mp4'] });
  });
});
