// AVERAGE_POOL_2D / MAX_POOL_2D: NHWC -> NCHW pool -> NHWC. TFLite's SAME average pooling divides
// by the number of valid (unpadded) pixels, which is ONNX's count_include_pad = 0.
import type { ConversionContext } from '../context.js';
import { NHWC_TO_NCHW, samePads, transpose } from '../layout.js';
import { pool2dOptions } from '../options.js';
import type { TfliteOperator } from '../schema.js';
import { dequantizeLike, emitNhwc, quantizeNchw } from './conv.js';

export function poolConverter(kind: 'AveragePool' | 'MaxPool') {
  return (op: TfliteOperator, ctx: ConversionContext): void => {
    const o = pool2dOptions(op.options);
    const [inputIndex] = op.inputs;
    const input = ctx.tensor(inputIndex);
    if (input.shape.length !== 4) throw ctx.fail(op, `expected a 4-D NHWC input, got [${input.shape}].`);
    const [, inH, inW] = input.shape;
    const padH = o.padding === 'SAME' ? samePads(inH, o.filterH, o.strideH, 1) : [0, 0];
    const padW = o.padding === 'SAME' ? samePads(inW, o.filterW, o.strideW, 1) : [0, 0];
    const x = dequantizeLike(ctx, inputIndex, transpose(ctx.g, ctx.value(inputIndex), NHWC_TO_NCHW));
    const attrs = {
      kernel_shape: [o.filterH, o.filterW],
      strides: [o.strideH, o.strideW],
      pads: [padH[0], padW[0], padH[1], padW[1]],
      ...(kind === 'AveragePool' ? { count_include_pad: 0 } : {}),
    };
    const [pooled] = ctx.g.node(kind, [x], attrs);
    const activated = ctx.activate(pooled, o.activation, op.outputs[0]);
    emitNhwc(ctx, op.outputs[0], quantizeNchw(ctx, op.outputs[0], activated));
  };
}
