// MViTv2's decomposed relative position embeddings (add_decomposed_rel_pos in mvit.py): for each
// axis (t, h, w) a table R[q, k, C] picked from rel_pos_{t,h,w} by the query/key distance, and
// scores[q, k] += q·R_t[qt, kt] + q·R_h[qh, kh] + q·R_w[qw, kw] on the non-cls tokens.
// Tables are constants at build time (the clip size is fixed); the graph does three MatMuls.
import { tensors, type GraphBuilder } from '../onnx/index.js';
import { binary, floatConstant, reshape, sliceAxis, transpose } from './layers/transformer-shapes.js';
import type { Axes3 } from './layers/transformer-view.js';

/** F.interpolate(mode='linear', align_corners=False) of a [length, channels] table along length. */
export function resizeRelPos(table: Float32Array, length: number, channels: number, target: number): Float32Array {
  if (target === length) return table;
  const out = new Float32Array(target * channels);
  const scale = length / target;
  for (let i = 0; i < target; i++) {
    const src = Math.max((i + 0.5) * scale - 0.5, 0);
    const i0 = Math.min(Math.floor(src), length - 1);
    const i1 = Math.min(i0 + 1, length - 1);
    const lambda = src - i0;
    for (let c = 0; c < channels; c++) {
      out[i * channels + c] = (1 - lambda) * table[i0 * channels + c]! + lambda * table[i1 * channels + c]!;
    }
  }
  return out;
}

/** Index into the (resized) table for query i and key j, as resize_decomposed_rel_pos computes it. */
export function relPosIndex(qSize: number, kSize: number): Int32Array {
  const qRatio = Math.max(kSize / qSize, 1);
  const kRatio = Math.max(qSize / kSize, 1);
  const index = new Int32Array(qSize * kSize);
  for (let i = 0; i < qSize; i++) {
    for (let j = 0; j < kSize; j++) index[i * kSize + j] = Math.trunc(i * qRatio - j * kRatio + (kSize - 1) * kRatio);
  }
  return index;
}

/**
 * The per-axis table laid out for MatMul: [qSize, channels, kSize], entry (i, c, j) =
 * rel_pos[index(i, j), c] after resizing rel_pos to 2 * max(qSize, kSize) - 1 rows.
 */
export function relPosMatrix(relPos: Float32Array, length: number, channels: number, qSize: number, kSize: number): Float32Array {
  const resized = resizeRelPos(relPos, length, channels, 2 * Math.max(qSize, kSize) - 1);
  const index = relPosIndex(qSize, kSize);
  const out = new Float32Array(qSize * channels * kSize);
  for (let i = 0; i < qSize; i++) {
    for (let j = 0; j < kSize; j++) {
      const row = index[i * kSize + j]! * channels;
      for (let c = 0; c < channels; c++) out[(i * channels + c) * kSize + j] = resized[row + c]!;
    }
  }
  return out;
}

export type Thw = Axes3;

export interface RelPosTables {
  /** rel_pos_t, rel_pos_h, rel_pos_w as [rows, headDim]. */
  t: Float32Array;
  h: Float32Array;
  w: Float32Array;
  rows: Thw;
}

/**
 * scores [B, heads, 1 + Nq, 1 + Nk] + decomposed rel pos of q [B, heads, 1 + Nq, C] (token 0 is the
 * cls token, which gets no position term).
 */
export function addDecomposedRelPos(
  g: GraphBuilder,
  scores: string,
  q: string,
  opts: { qShape: Thw; kShape: Thw; heads: number; headDim: number; tables: RelPosTables; name: string },
): string {
  const { qShape: [qt, qh, qw], kShape: [kt, kh, kw], headDim: c, name } = opts;
  const matrix = (axis: 0 | 1 | 2, table: Float32Array): string => {
    const qs = opts.qShape[axis];
    const ks = opts.kShape[axis];
    return floatConstant(g, `${name}.rel_${'thw'[axis]}`, relPosMatrix(table, opts.tables.rows[axis], c, qs, ks), [qs, c, ks]);
  };
  const matmul = (a: string, b: string, what: string): string => g.node('MatMul', [a, b], {}, { outputs: [g.uniqueName(`${name}.${what}`)] })[0]!;

  const tokens = sliceAxis(g, q, 2, 1, 1 + qt * qh * qw, 1, `${name}.rq`); // [B, heads, Nq, C]
  const grid = reshape(g, tokens, [-1, qt, qh, qw, c], `${name}.rq_grid`); // [BH, qt, qh, qw, C]

  const relT = matmul(reshape(g, grid, [-1, qt, qh * qw, c], `${name}.rq_t`), matrix(0, opts.tables.t), 'rel_t'); // [BH, qt, qh*qw, kt]
  const termT = reshape(g, relT, [-1, qt, qh, qw, kt, 1, 1], `${name}.term_t`);

  const byH = reshape(g, transpose(g, grid, [0, 2, 1, 3, 4], `${name}.rq_h_perm`), [-1, qh, qt * qw, c], `${name}.rq_h`); // [BH, qh, qt*qw, C]
  const relH = reshape(g, matmul(byH, matrix(1, opts.tables.h), 'rel_h'), [-1, qh, qt, qw, kh], `${name}.rel_h_grid`); // [BH, qh, qt, qw, kh]
  const termH = reshape(g, transpose(g, relH, [0, 2, 1, 3, 4], `${name}.rel_h_back`), [-1, qt, qh, qw, 1, kh, 1], `${name}.term_h`);

  const byW = reshape(g, transpose(g, grid, [0, 3, 1, 2, 4], `${name}.rq_w_perm`), [-1, qw, qt * qh, c], `${name}.rq_w`); // [BH, qw, qt*qh, C]
  const relW = reshape(g, matmul(byW, matrix(2, opts.tables.w), 'rel_w'), [-1, qw, qt, qh, kw], `${name}.rel_w_grid`); // [BH, qw, qt, qh, kw]
  const termW = reshape(g, transpose(g, relW, [0, 2, 3, 1, 4], `${name}.rel_w_back`), [-1, qt, qh, qw, 1, 1, kw], `${name}.term_w`);

  const sum = binary(g, 'Add', binary(g, 'Add', termT, termH, `${name}.rel_th`), termW, `${name}.rel_thw`); // [BH, qt, qh, qw, kt, kh, kw]
  const bias = reshape(g, sum, [-1, opts.heads, qt * qh * qw, kt * kh * kw], `${name}.rel_bias`); // [B, heads, Nq, Nk]
  // One zero row and column in front: the cls token's query and key.
  const pads = g.constant(`${name}.rel_pads`, tensors.int64([0, 0, 1, 1, 0, 0, 0, 0]));
  const [padded] = g.node('Pad', [bias, pads], { mode: 'constant' }, { outputs: [g.uniqueName(`${name}.rel_bias_padded`)] }); // [B, heads, 1+Nq, 1+Nk]
  return binary(g, 'Add', scores, padded!, `${name}.scores_rel`);
}
