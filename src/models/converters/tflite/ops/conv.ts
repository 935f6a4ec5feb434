// CONV_2D and DEPTHWISE_CONV_2D: NHWC int8 -> Transpose -> DQ -> Conv (NCHW) -> Q -> Transpose back.
import type { OnnxTensorData } from '../../onnx/dtypes.js';
import { constantTensor, type ConversionContext } from '../context.js';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permuteConstant, samePads, transpose } from '../layout.js';
import { conv2dOptions, depthwiseConv2dOptions, type Conv2dOptions } from '../options.js';
import type { TfliteOperator } from '../schema.js';

export function convertConv2d(op: TfliteOperator, ctx: ConversionContext): void {
  // kernel [O, KH, KW, I] -> [O, I, KH, KW]; per-channel scales stay on axis 0
  emitConv(op, ctx, conv2dOptions(op.options), [0, 3, 1, 2], 1);
}

export function convertDepthwiseConv2d(op: TfliteOperator, ctx: ConversionContext): void {
  const options = depthwiseConv2dOptions(op.options);
  const inChannels = ctx.tensor(op.inputs[0]).shape[3];
  // kernel [1, KH, KW, C*M] -> [C*M, 1, KH, KW]; per-channel scales move from axis 3 to axis 0
  emitConv(op, ctx, options, [3, 0, 1, 2], inChannels);
}

function emitConv(op: TfliteOperator, ctx: ConversionContext, options: Conv2dOptions, kernelPerm: number[], group: number): void {
  const { g } = ctx;
  const [inputIndex, weightIndex, biasIndex] = op.inputs;
  const input = ctx.tensor(inputIndex);
  const weight = ctx.tensor(weightIndex);
  const output = ctx.tensor(op.outputs[0]);
  if (input.shape.length !== 4 || weight.shape.length !== 4) {
    throw ctx.fail(op, `expected a 4-D input and kernel, got input [${input.shape}] and kernel [${weight.shape}].`);
  }
  const [, kh, kw] = weight.shape;
  const [, inH, inW] = input.shape;
  const padH = options.padding === 'SAME' ? samePads(inH, kh, options.strideH, options.dilationH) : [0, 0];
  const padW = options.padding === 'SAME' ? samePads(inW, kw, options.strideW, options.dilationW) : [0, 0];

  const x = dequantizeLike(ctx, inputIndex, transpose(g, ctx.value(inputIndex), NHWC_TO_NCHW));
  const w = kernel(ctx, weightIndex, kernelPerm);
  const inputs = [x, w];
  if (biasIndex !== undefined && biasIndex >= 0) inputs.push(ctx.dequantized(biasIndex));
  const [convOut] = g.node('Conv', inputs, {
    kernel_shape: [kh, kw],
    strides: [options.strideH, options.strideW],
    dilations: [options.dilationH, options.dilationW],
    pads: [padH[0], padW[0], padH[1], padW[1]],
    group,
  });
  const activated = ctx.activate(convOut, options.activation, op.outputs[0]);
  // [N, C, H, W] -> [N, H, W, C]
  const nchw = quantizeNchw(ctx, op.outputs[0], activated);
  const [, oh, ow, oc] = output.shape;
  g.setInfo(nchw, { dtype: g.info(ctx.value(inputIndex))?.dtype, dims: [output.shape[0], oc, oh, ow] });
  emitNhwc(ctx, op.outputs[0], nchw);
}

/** Scale and zero point inputs for a DQ/Q of a per-tensor quantized tensor. */
export function qdq(ctx: ConversionContext, index: number): string[] {
  const q = ctx.quantParams(index);
  return [q.scale, q.zeroPoint];
}

/** DequantizeLinear of `name` with tensor `index`'s parameters (for a transposed copy); float passes. */
export function dequantizeLike(ctx: ConversionContext, index: number, name: string): string {
  if (!ctx.tensor(index).quantization) return name;
  return ctx.g.node('DequantizeLinear', [name, ...qdq(ctx, index)])[0];
}

/** Quantizes a float NCHW result with the output tensor's parameters (still NCHW). */
export function quantizeNchw(ctx: ConversionContext, outputIndex: number, floatName: string): string {
  const t = ctx.tensor(outputIndex);
  if (!t.quantization) return floatName;
  return ctx.g.node('QuantizeLinear', [floatName, ...qdq(ctx, outputIndex)])[0];
}

/** Transposes an NCHW result back to the TFLite NHWC tensor. */
export function emitNhwc(ctx: ConversionContext, outputIndex: number, nchw: string): void {
  const [name] = ctx.g.node('Transpose', [nchw], { perm: NCHW_TO_NHWC }, { outputs: [ctx.outputName(outputIndex)] });
  ctx.define(outputIndex, name);
}

/** The kernel as an ONNX initializer in OIHW order, dequantized per output channel. */
function kernel(ctx: ConversionContext, index: number, perm: number[]): string {
  const t = ctx.tensor(index);
  const permuted: OnnxTensorData = permuteConstant(constantTensor(t), perm);
  const name = ctx.g.constant(`${t.name.split(';')[0].slice(-60)}_oihw`, permuted);
  if (!t.quantization) return name;
  const q = ctx.quantParams(index, true);
  const axis = q.axis === undefined ? undefined : perm.indexOf(q.axis);
  return ctx.g.node('DequantizeLinear', [name, q.scale, q.zeroPoint], axis === undefined ? {} : { axis })[0];
}
