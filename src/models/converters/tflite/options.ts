// Builtin option tables the converter reads (field indices from schema.fbs).
import type { FlatTable } from './flatbuffer-table.js';
import { FUSED_ACTIVATIONS, type FusedActivation } from './schema.js';

export type Padding = 'SAME' | 'VALID';

function activation(t: FlatTable | undefined, field: number): FusedActivation {
  const code = t?.int8(field) ?? 0;
  return FUSED_ACTIVATIONS[code] ?? 'NONE';
}

function padding(t: FlatTable | undefined): Padding {
  return (t?.int8(0) ?? 0) === 0 ? 'SAME' : 'VALID';
}

export interface Conv2dOptions { padding: Padding; strideW: number; strideH: number; activation: FusedActivation; dilationW: number; dilationH: number }
export function conv2dOptions(t: FlatTable | undefined): Conv2dOptions {
  return {
    padding: padding(t), strideW: t?.int32(1, 1) ?? 1, strideH: t?.int32(2, 1) ?? 1,
    activation: activation(t, 3), dilationW: t?.int32(4, 1) ?? 1, dilationH: t?.int32(5, 1) ?? 1,
  };
}

export interface DepthwiseConv2dOptions extends Conv2dOptions { depthMultiplier: number }
export function depthwiseConv2dOptions(t: FlatTable | undefined): DepthwiseConv2dOptions {
  return {
    padding: padding(t), strideW: t?.int32(1, 1) ?? 1, strideH: t?.int32(2, 1) ?? 1, depthMultiplier: t?.int32(3, 1) ?? 1,
    activation: activation(t, 4), dilationW: t?.int32(5, 1) ?? 1, dilationH: t?.int32(6, 1) ?? 1,
  };
}

export interface Pool2dOptions { padding: Padding; strideW: number; strideH: number; filterW: number; filterH: number; activation: FusedActivation }
export function pool2dOptions(t: FlatTable | undefined): Pool2dOptions {
  return {
    padding: padding(t), strideW: t?.int32(1, 1) ?? 1, strideH: t?.int32(2, 1) ?? 1,
    filterW: t?.int32(3, 1) ?? 1, filterH: t?.int32(4, 1) ?? 1, activation: activation(t, 5),
  };
}

/** ADD, MUL, DIV, SUB: the fused activation is field 0. */
export function elementwiseActivation(t: FlatTable | undefined): FusedActivation {
  return activation(t, 0);
}

export function concatenationOptions(t: FlatTable | undefined): { axis: number; activation: FusedActivation } {
  return { axis: t?.int32(0) ?? 0, activation: activation(t, 1) };
}

export interface StridedSliceOptions { beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number; offset: boolean }
export function stridedSliceOptions(t: FlatTable | undefined): StridedSliceOptions {
  return {
    beginMask: t?.int32(0) ?? 0, endMask: t?.int32(1) ?? 0, ellipsisMask: t?.int32(2) ?? 0,
    newAxisMask: t?.int32(3) ?? 0, shrinkAxisMask: t?.int32(4) ?? 0, offset: t?.bool(5) ?? false,
  };
}

export function reducerKeepDims(t: FlatTable | undefined): boolean {
  return t?.bool(0) ?? false;
}
