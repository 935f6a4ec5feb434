// SUM / MEAN over constant axes: DQ -> ReduceSum / ReduceMean -> Q.
import { tensors } from '../../onnx/dtypes.js';
import type { ConversionContext } from '../context.js';
import { reducerKeepDims } from '../options.js';
import type { TfliteOperator } from '../schema.js';

export function reduceConverter(kind: 'ReduceSum' | 'ReduceMean') {
  return (op: TfliteOperator, ctx: ConversionContext): void => {
    const [inputIndex, axesIndex] = op.inputs;
    const rank = ctx.tensor(inputIndex).shape.length;
    const axes = ctx.constantInts(axesIndex, 'reduction axes').map((a) => (a < 0 ? a + rank : a));
    const keepdims = reducerKeepDims(op.options) ? 1 : 0;
    // ReduceSum takes axes as an input from opset 13, ReduceMean only from opset 18.
    const [reduced] =
      kind === 'ReduceSum'
        ? ctx.g.node('ReduceSum', [ctx.dequantized(inputIndex), ctx.g.constant('axes', tensors.int64(axes))], { keepdims })
        : ctx.g.node('ReduceMean', [ctx.dequantized(inputIndex)], { axes, keepdims });
    ctx.quantizeInto(op.outputs[0], reduced);
  };
}
