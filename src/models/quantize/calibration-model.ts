// The float32 model with two extra scalar outputs per value to calibrate: its minimum and maximum
// over the whole batch. Reducing inside the graph keeps calibration memory at one forward pass:
// no intermediate feature map ever leaves ONNX Runtime.
import type { OnnxModel, OnnxNode, OnnxValueInfo } from '../converters/onnx/onnx-proto.js';
import { freshNamesFor } from './fresh-names.js';

export interface CalibrationOutputs {
  value: string;
  min: string;
  max: string;
}

export function buildCalibrationModel(model: OnnxModel, values: readonly string[]): { model: OnnxModel; outputs: CalibrationOutputs[] } {
  const fresh = freshNamesFor(model.graph);

  const nodes: OnnxNode[] = [];
  const extraOutputs: OnnxValueInfo[] = [];
  const outputs = values.map((value): CalibrationOutputs => {
    const min = fresh(`calibration/min/${value}`);
    const max = fresh(`calibration/max/${value}`);
    for (const [op, out] of [['ReduceMin', min], ['ReduceMax', max]] as const) {
      nodes.push({ opType: op, name: fresh(`${out}/node`), inputs: [value], outputs: [out], attributes: { keepdims: { type: 'int', value: 0 } } });
      extraOutputs.push({ name: out, dtype: 'float32', dims: [] });
    }
    return { value, min, max };
  });
  return {
    model: { ...model, graph: { ...model.graph, nodes: [...model.graph.nodes, ...nodes], outputs: [...model.graph.outputs, ...extraOutputs] } },
    outputs,
  };
}

/** Running min/max per value over calibration batches. */
export function createRangeTracker(outputs: readonly CalibrationOutputs[]) {
  const ranges = new Map(outputs.map((o) => [o.value, { min: Infinity, max: -Infinity }]));
  let batches = 0;
  return {
    /** `read(name)` returns the scalar an output of the calibration model had for one batch. */
    add(read: (outputName: string) => number): void {
      for (const o of outputs) {
        const r = ranges.get(o.value)!;
        r.min = Math.min(r.min, read(o.min));
        r.max = Math.max(r.max, read(o.max));
      }
      batches++;
    },
    get batches() {
      return batches;
    },
    ranges: (): ReadonlyMap<string, { min: number; max: number }> => ranges,
  };
}
