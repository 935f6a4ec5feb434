import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../core/errors.js';
import { getModelSpec, listModels } from './zoo.js';

describe('model zoo', () => {
  it('has the MoViNet A0 stream entry with the official artifact and its interface', () => {
    const spec = getModelSpec('movinet-a0-stream-k600');
    expect(spec.source).toMatchObject({
      file_name: 'movinet_a0_stream_int8_kinetics600.tflite',
      sha256: '6125b36e2485eeb5cc1fd6206cf5e5d70235593fbc84610d1dce97fe3aa9c2ac',
      size_bytes: 3_276_048,
      converter: 'tflite',
      license: 'Apache-2.0',
    });
    expect(spec.source.urls[0]).toMatch(/^https:\/\/tfhub\.dev\/tensorflow\/lite-model\/movinet\/a0\/stream\/kinetics-600\/.*lite-format=tflite$/);
    expect(spec.input).toMatchObject({ layout: 'NTHWC-stream', size: { width: 172, height: 172 }, default_fps: 5, channel_order: 'rgb' });
    expect(spec.input.value_scale * 255).toBeCloseTo(1, 12);
    expect(spec.output).toMatchObject({ kind: 'logits', stream: { image_input: 'image', logits_output: 'logits' } });
    expect(spec.num_classes).toBe(600);
  });

  it('lists every model with unique ids, and hands out copies', () => {
    const models = listModels();
    expect(models.length).toBeGreaterThanOrEqual(1);
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
    models[0].num_classes = 1;
    expect(getModelSpec(models[0].id).num_classes).not.toBe(1);
  });

  it('names the known ids and the closest one for an unknown id', () => {
    for (const [typo, suggestion] of [
      ['movinet-a0-stream-k400', 'movinet-a0-stream-k600'],
      ['movinet', 'movinet-a0-stream-k600'],
    ] as const) {
      try {
        getModelSpec(typo);
        expect.unreachable();
      } catch (e) {
        const error = e as ActionLensError;
        expect(error.code).toBe('AL_ERR_UNKNOWN_MODEL');
        expect(error.message).toContain(`'${typo}'`);
        expect(error.message).toContain('movinet-a0-stream-k600');
        expect(error.hint).toContain(`Did you mean '${suggestion}'`);
      }
    }
    expect(() => getModelSpec('zz')).toThrow(ActionLensError);
  });
});
