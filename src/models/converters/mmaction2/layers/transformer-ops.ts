// Token-wise building blocks of the transformer families: nn.Linear on [..., in] tokens, LayerNorm,
// exact (erf) GELU and the two-layer MLP. Written as MatMul + Add, LayerNormalization and the
// Div/Erf/Add/Mul/Mul pattern, which onnxruntime fuses (Gemm-like MatMul, LayerNorm, Gelu).
import { attr, type GraphBuilder } from '../../onnx/index.js';
import type { WeightSource } from '../weight-source.js';
import { binary, floatConstant } from './transformer-shapes.js';

/** PyTorch stores nn.Linear weights as [out, in]; MatMul wants [in, out]. */
export function transposeMatrix(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

export interface LinearArrays {
  /** [out, in] as in the state_dict. */
  weight: Float32Array;
  bias?: Float32Array;
  inFeatures: number;
  outFeatures: number;
}

/** x [..., in] -> [..., out] from weight arrays already in hand. */
export function linearFromArrays(g: GraphBuilder, x: string, p: LinearArrays, name: string): string {
  const w = floatConstant(g, `${name}.weight_t`, transposeMatrix(p.weight, p.outFeatures, p.inFeatures), [p.inFeatures, p.outFeatures]);
  const [y] = g.node('MatMul', [x, w], {}, { outputs: [g.uniqueName(`${name}.matmul`)] });
  if (!p.bias) return y!;
  return binary(g, 'Add', y!, floatConstant(g, `${name}.bias`, p.bias, [p.outFeatures]), name);
}

/** nn.Linear at `path` on tokens x [..., in] -> [..., out]. */
export function tokenLinear(
  g: GraphBuilder,
  weights: WeightSource,
  path: string,
  x: string,
  opts: { inFeatures: number; outFeatures: number; bias?: boolean },
): string {
  const weight = weights.param(`${path}.weight`, [opts.outFeatures, opts.inFeatures]);
  const bias = opts.bias === false ? undefined : weights.param(`${path}.bias`, [opts.outFeatures]);
  return linearFromArrays(g, x, { weight, bias, inFeatures: opts.inFeatures, outFeatures: opts.outFeatures }, path);
}

/** nn.LayerNorm(dims, eps) at `path` over the last axis. */
export function layerNorm(g: GraphBuilder, weights: WeightSource, path: string, x: string, dims: number, eps: number): string {
  const scale = floatConstant(g, `${path}.weight`, weights.param(`${path}.weight`, [dims]), [dims]);
  const bias = floatConstant(g, `${path}.bias`, weights.param(`${path}.bias`, [dims]), [dims]);
  const [y] = g.node('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: attr.float(eps) }, { outputs: [g.uniqueName(path)] });
  return y!;
}

/** nn.GELU() (exact): x * 0.5 * (1 + erf(x / sqrt(2))); opset 17 has no Gelu op. */
export function gelu(g: GraphBuilder, x: string, name = 'gelu'): string {
  const scaled = binary(g, 'Div', x, floatConstant(g, `${name}.sqrt2`, Float32Array.of(Math.SQRT2), []), `${name}.div`);
  const [erf] = g.node('Erf', [scaled], {}, { outputs: [g.uniqueName(`${name}.erf`)] });
  const onePlus = binary(g, 'Add', erf!, floatConstant(g, `${name}.one`, Float32Array.of(1), []), `${name}.add`);
  const times = binary(g, 'Mul', x, onePlus, `${name}.mul`);
  return binary(g, 'Mul', times, floatConstant(g, `${name}.half`, Float32Array.of(0.5), []), name);
}

/** Linear -> GELU -> Linear, the FFN/MLP of every family here (keys differ per family). */
export function mlp(
  g: GraphBuilder,
  weights: WeightSource,
  x: string,
  opts: { fc1: string; fc2: string; inFeatures: number; hiddenFeatures: number; outFeatures?: number },
): string {
  const hidden = tokenLinear(g, weights, opts.fc1, x, { inFeatures: opts.inFeatures, outFeatures: opts.hiddenFeatures });
  const act = gelu(g, hidden, `${opts.fc1}.gelu`);
  return tokenLinear(g, weights, opts.fc2, act, { inFeatures: opts.hiddenFeatures, outFeatures: opts.outFeatures ?? opts.inFeatures });
}
