// QUANTIZE, DEQUANTIZE and CAST: the boundaries between float, int8 and int32 tensors.
import { ONNX_DATA_TYPES } from '../../onnx/dtypes.js';
import { onnxTypeOf, type ConversionContext } from '../context.js';
import type { TfliteOperator } from '../schema.js';

export function convertQuantize(op: TfliteOperator, ctx: ConversionContext): void {
  // float -> int8 is one QuantizeLinear; int8 -> int8 (requantize) goes through float.
  ctx.quantizeInto(op.outputs[0], ctx.dequantized(op.inputs[0]));
}

export function convertDequantize(op: TfliteOperator, ctx: ConversionContext): void {
  const input = ctx.tensor(op.inputs[0]);
  const out = op.outputs[0];
  if (input.type === 'float16') {
    const [name] = ctx.g.node('Cast', [ctx.value(op.inputs[0])], { to: ONNX_DATA_TYPES.float32 }, { outputs: [ctx.outputName(out)] });
    ctx.define(out, name);
    return;
  }
  if (!input.quantization) throw ctx.fail(op, `input "${input.name}" (${input.type}) has no quantization parameters.`);
  const q = ctx.quantParams(op.inputs[0]);
  const [name] = ctx.g.node('DequantizeLinear', [ctx.value(op.inputs[0]), q.scale, q.zeroPoint], q.axis === undefined ? {} : { axis: q.axis }, {
    outputs: [ctx.outputName(out)],
  });
  ctx.define(out, name);
}

export function convertCast(op: TfliteOperator, ctx: ConversionContext): void {
  const out = op.outputs[0];
  const to = ONNX_DATA_TYPES[onnxTypeOf(ctx.tensor(out))];
  const [name] = ctx.g.node('Cast', [ctx.value(op.inputs[0])], { to }, { outputs: [ctx.outputName(out)] });
  ctx.define(out, name);
}
