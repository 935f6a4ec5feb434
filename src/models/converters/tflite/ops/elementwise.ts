// Binary arithmetic (ADD, SUB, MUL, DIV) with fused activation. Quantized tensors run as
// DQ -> op -> Q (fused by ONNX Runtime into QLinearAdd / QLinearMul); int32 and float run as is.
// Quantized operands are taken at whatever rank they are held (see rank.ts): broadcasting from
// the right gives the same values, so the 5-D <-> 4-D Reshapes around these ops disappear.
import type { ConversionContext } from '../context.js';
import { broadcastDims } from '../rank.js';
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
    const [x, y] = [ctx.dequantizedAnyRank(a), ctx.dequantizedAnyRank(b)];
    const dims = broadcastDims(heldDims(ctx, x, a), heldDims(ctx, y, b));
    const [result] = ctx.g.node(ONNX_OP[kind], [x, y], {}, { outputInfo: [{ dtype: 'float32', dims }] });
    const activated = ctx.activate(result, activation, out);
    ctx.g.setInfo(activated, { dtype: 'float32', dims });
    ctx.quantizeInto(out, activated, dims);
  };
}

function heldDims(ctx: ConversionContext, name: string, index: number): readonly number[] {
  const dims = ctx.g.info(name)?.dims;
  return dims && dims.every((d): d is number => typeof d === 'number') ? dims : ctx.tensor(index).shape;
}
