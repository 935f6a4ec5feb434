// A WeightSource that serves the golden fixtures' deterministic weights for whatever key the
// architecture asks for, and records the requests so the test can compare them with the fixture.
import { createDeclarationLog, type WeightSource } from '../../src/models/converters/mmaction2/weight-source.js';
import { goldenTensor } from '../../src/models/converters/mmaction2/golden-weights.js';

export function createGoldenSource(): WeightSource {
  const log = createDeclarationLog();
  return {
    param(key, shape) {
      log.record(key, shape, 'float32');
      return goldenTensor(key, shape);
    },
    buffer(key, shape, dtype) {
      log.record(key, shape, dtype);
    },
    declared: () => log.entries(),
  };
}
