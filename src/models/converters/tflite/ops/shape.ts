// Data movement: RESHAPE, CONCATENATION, STRIDED_SLICE. They move int8 values directly when input
// and output share quantization parameters (TFLite requires it for RESHAPE / STRIDED_SLICE).
import { tensors } from '../../onnx/dtypes.js';
import type { ConversionContext } from '../context.js';
import { sameUpToLeadingOnes } from '../rank.js';
import { concatenationOptions, stridedSliceOptions } from '../options.js';
import type { TfliteOperator, TfliteTensor } from '../schema.js';

export function convertReshape(op: TfliteOperator, ctx: ConversionContext): void {
  const out = op.outputs[0];
  const shape = ctx.tensor(out).shape; // static output shape: no -1 left to resolve at run time
  // Only leading 1s added or dropped (e.g. [1, 1, H, W, C] -> [1, H, W, C]): no node; consumers that
  // need the exact shape get one shared Reshape (see rank.ts).
  const held = ctx.valueAnyRank(op.inputs[0]);
  const heldDims = ctx.g.info(held)?.dims;
  if (heldDims && heldDims.every((d) => typeof d === 'number') && sameUpToLeadingOnes(heldDims as number[], shape)) {
    ctx.alias(out, held);
    return;
  }
  const shapeName = ctx.g.constant('shape', tensors.int64(shape));
  const [name] = ctx.g.node('Reshape', [ctx.value(op.inputs[0]), shapeName], {}, { outputs: [ctx.outputName(out)] });
  ctx.define(out, name);
}

export function convertConcatenation(op: TfliteOperator, ctx: ConversionContext): void {
  const { axis, activation } = concatenationOptions(op.options);
  const out = op.outputs[0];
  const outTensor = ctx.tensor(out);
  const rank = outTensor.shape.length;
  const normalizedAxis = axis < 0 ? axis + rank : axis;
  const direct = activation === 'NONE' && op.inputs.every((i) => sameQuantization(ctx.tensor(i), outTensor));
  if (direct) {
    const [name] = ctx.g.node('Concat', op.inputs.map((i) => ctx.value(i)), { axis: normalizedAxis }, { outputs: [ctx.outputName(out)] });
    ctx.define(out, name);
    return;
  }
  const [joined] = ctx.g.node('Concat', op.inputs.map((i) => ctx.dequantized(i)), { axis: normalizedAxis });
  ctx.quantizeInto(out, ctx.activate(joined, activation, out));
}

export function convertStridedSlice(op: TfliteOperator, ctx: ConversionContext): void {
  const o = stridedSliceOptions(op.options);
  if (o.ellipsisMask || o.newAxisMask) throw ctx.fail(op, `ellipsis_mask ${o.ellipsisMask} / new_axis_mask ${o.newAxisMask} are not supported (only 0).`);
  const [inputIndex, beginIndex, endIndex, stridesIndex] = op.inputs;
  const inShape = ctx.tensor(inputIndex).shape;
  const begin = ctx.constantInts(beginIndex, 'strided slice begin');
  const end = ctx.constantInts(endIndex, 'strided slice end');
  const strides = ctx.constantInts(stridesIndex, 'strided slice strides');
  const starts: number[] = [];
  const ends: number[] = [];
  begin.forEach((b, axis) => {
    const size = inShape[axis];
    const bit = 1 << axis;
    let s = o.beginMask & bit ? (strides[axis] > 0 ? 0 : size - 1) : b;
    let e = o.endMask & bit ? (strides[axis] > 0 ? size : -size - 1) : o.offset ? b + end[axis] : end[axis];
    if (o.shrinkAxisMask & bit) {
      s = b;
      e = b + 1;
    }
    starts.push(s);
    ends.push(e);
  });
  const g = ctx.g;
  const axes = begin.map((_, i) => i);
  const sliceInputs = [ctx.value(inputIndex), g.constant('starts', tensors.int64(starts)), g.constant('ends', tensors.int64(ends)), g.constant('axes', tensors.int64(axes)), g.constant('steps', tensors.int64(strides))];
  const out = op.outputs[0];
  if (!o.shrinkAxisMask) {
    const [name] = g.node('Slice', sliceInputs, {}, { outputs: [ctx.outputName(out)] });
    ctx.define(out, name);
    return;
  }
  const [sliced] = g.node('Slice', sliceInputs);
  const [name] = g.node('Reshape', [sliced, g.constant('shape', tensors.int64(ctx.tensor(out).shape))], {}, { outputs: [ctx.outputName(out)] });
  ctx.define(out, name);
}

function sameQuantization(a: TfliteTensor, b: TfliteTensor): boolean {
  if (a.type !== b.type) return false;
  if (!a.quantization || !b.quantization) return !a.quantization && !b.quantization;
  return a.quantization.scale[0] === b.quantization.scale[0] && a.quantization.zeroPoint[0] === b.quantization.zeroPoint[0];
}
