// Binary arithmetic (ADD, SUB, MUL, DIV) with fused activation. Quantized tensors run as
// DQ -> op -> Q (fused by ONNX Runtime into QLinearAdd / QLinearMul); int32 and float run as is.
import type { ConversionContext } from '../context.js';
import { elementwiseActivation } from '../options.js';
import type { TfliteOperator } from '../schema.js';

const ONNX_OP = { ADD: 'Add', SUB: 'Sub', MUL: 'Mul', DIV: 'Div' } as const;

export function binaryConverter(kind: keyof typeof ONNX_OP) {
  return (op: TfliteOperator, ctx: ConversionContext): void => {
    const [a, b] = op.inputs;
    const out = op.outputs[0];
    const activation = elementwiseActivation(op.options);
    const quantized = ctx.tensor(out).quantization !== undefined && ctx.tensor(out).type !== 'float32';
    if (!quantized) {
      const canNameDirectly = activation === 'NONE';
      const [result] = ctx.g.node(ONNX_OP[kind], [ctx.value(a), ctx.value(b)], {}, canNameDirectly ? { outputs: [ctx.outputName(out)] } : {});
      ctx.quantizeInto(out, ctx.activate(result, activation, out));
      return;
    }
    const [result] = ctx.g.node(ONNX_OP[kind], [ctx.dequantized(a), ctx.dequantized(b)]);
    ctx.quantizeInto(out, ctx.activate(result, activation, out));
  };
}
