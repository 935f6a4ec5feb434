// Shared by the family unit tests: a WeightSource of zeros (shapes and keys are what is tested, not
// values) and a catcher for the config errors a user sees.
import { isActionLensError } from '../../src/core/errors.js';
import { createDeclarationLog, type WeightSource } from '../../src/models/converters/mmaction2/weight-source.js';

export function zeroSource(): WeightSource {
  const log = createDeclarationLog();
  return {
    param: (key, shape) => (log.record(key, shape, 'float32'), new Float32Array(shape.reduce((a, b) => a * b, 1))),
    buffer: (key, shape, dtype) => log.record(key, shape, dtype),
    declared: () => log.entries(),
  };
}

/** The message of the AL_ERR_CONVERSION_FAILED that `fn` throws; fails if it throws nothing or something else. */
export function conversionError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isActionLensError(e) && e.code === 'AL_ERR_CONVERSION_FAILED') return e.message;
    throw e;
  }
  throw new Error('expected AL_ERR_CONVERSION_FAILED');
}
