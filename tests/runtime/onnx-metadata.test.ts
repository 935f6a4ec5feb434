import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { createGraphBuilder } from '../../src/models/converters/onnx/index.js';
import { readOnnxMetadata } from '../../src/runtime/onnx-metadata.js';

function modelWith(metadata: Record<string, string> | undefined): Uint8Array {
  const g = createGraphBuilder('identity');
  const x = g.input('x', 'float32', [2]);
  const [y] = g.node('Identity', [x], {}, { outputs: ['y'] });
  g.output(y, 'float32', [2]);
  return g.toModel({ producer: 'actionlens-tests', ...(metadata ? { metadata } : {}) });
}

describe('readOnnxMetadata', () => {
  it('reads every key/value pair, unicode included, past the graph', () => {
    const metadata = { 'actionlens.converter': 'x-1.0', json: JSON.stringify({ a: [1, 2] }), 'ünï': 'cødé ✓', empty: '' };
    expect(readOnnxMetadata(modelWith(metadata))).toEqual(metadata);
  });

  it('returns an empty record for a model without metadata', () => {
    expect(readOnnxMetadata(modelWith(undefined))).toEqual({});
  });

  it('rejects truncated bytes with AL_ERR_RUNTIME_INIT, naming the byte offset', () => {
    const bytes = modelWith({ key: 'value' });
    let error: unknown;
    try {
      readOnnxMetadata(bytes.subarray(0, bytes.length - 3));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionLensError);
    expect((error as ActionLensError).code).toBe('AL_ERR_RUNTIME_INIT');
    expect((error as ActionLensError).message).toMatch(/at byte \d+, a field of \d+ bytes runs past the end/);
  });
});
