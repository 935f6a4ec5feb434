// Window bookkeeping of the Video Swin Transformer (mmaction/models/backbones/swin.py), as pure
// functions: the window/shift actually used for a feature size, the relative_position_index buffer
// (recomputed here rather than read), and the region ids behind the shifted-window attention mask.
import { perAxis, type Axes3 } from './layers/transformer-view.js';

export type Dhw = Axes3;

/** get_window_size: an axis no longer than its window gets one window and no shift. */
export function effectiveWindow(size: Dhw, window: Dhw, shift: Dhw): { window: Dhw; shift: Dhw } {
  return {
    window: perAxis((a) => (size[a] <= window[a] ? size[a] : window[a])),
    shift: perAxis((a) => (size[a] <= window[a] ? 0 : shift[a])),
  };
}

/** Size padded up to a multiple of the window on every axis. */
export function paddedSize(size: Dhw, window: Dhw): Dhw {
  return perAxis((a) => Math.ceil(size[a] / window[a]) * window[a]);
}

/**
 * relative_position_index [N, N] for a (wd, wh, ww) window, N = wd*wh*ww: for tokens i and j at
 * (d, h, w) positions, the row of relative_position_bias_table holding their offset.
 */
export function relativePositionIndex(window: Dhw): Int32Array {
  const [wd, wh, ww] = window;
  const n = wd * wh * ww;
  const index = new Int32Array(n * n);
  const coord = (t: number): Dhw => [Math.floor(t / (wh * ww)), Math.floor(t / ww) % wh, t % ww];
  for (let i = 0; i < n; i++) {
    const [di, hi, wi] = coord(i);
    for (let j = 0; j < n; j++) {
      const [dj, hj, wj] = coord(j);
      index[i * n + j] = (di - dj + wd - 1) * (2 * wh - 1) * (2 * ww - 1) + (hi - hj + wh - 1) * (2 * ww - 1) + (wi - wj + ww - 1);
    }
  }
  return index;
}

/** index[:m, :m] of an [n, n] index, as WindowAttention3D slices it for a shrunken window. */
export function cropIndex(index: Int32Array, n: number, m: number): Int32Array {
  if (m === n) return index;
  const out = new Int32Array(m * m);
  for (let i = 0; i < m; i++) out.set(index.subarray(i * n, i * n + m), i * m);
  return out;
}

/** [start, end) of Python's slice(start, stop) on a sequence of length n. */
function pySlice(start: number | null, stop: number | null, n: number): [number, number] {
  const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  return [start === null ? 0 : norm(start), stop === null ? n : norm(stop)];
}

/**
 * compute_mask's region ids, partitioned into windows: [numWindows, N]. Tokens of one window attend
 * to each other only when their ids match (the mask is -100 elsewhere). Note Python's -0 == 0:
 * with a zero shift the slices degenerate exactly as they do in MMAction2.
 */
export function windowRegionIds(padded: Dhw, window: Dhw, shift: Dhw): { ids: Float32Array; numWindows: number; windowVolume: number } {
  const [D, H, W] = padded;
  const regions = (axis: number, n: number): [number, number][] => [
    pySlice(null, -window[axis]!, n),
    pySlice(-window[axis]!, -shift[axis]!, n),
    pySlice(-shift[axis]!, null, n),
  ];
  const img = new Float32Array(D * H * W);
  let cnt = 0;
  for (const [d0, d1] of regions(0, D)) {
    for (const [h0, h1] of regions(1, H)) {
      for (const [w0, w1] of regions(2, W)) {
        for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) img[(d * H + h) * W + w] = cnt;
        cnt++;
      }
    }
  }
  const [wd, wh, ww] = window;
  const [nd, nh, nw] = [D / wd, H / wh, W / ww];
  const windowVolume = wd * wh * ww;
  const ids = new Float32Array(nd * nh * nw * windowVolume);
  let k = 0;
  // window_partition order: windows (d, h, w) major, tokens (d, h, w) within a window.
  for (let bd = 0; bd < nd; bd++) for (let bh = 0; bh < nh; bh++) for (let bw = 0; bw < nw; bw++) {
    for (let d = 0; d < wd; d++) for (let h = 0; h < wh; h++) for (let w = 0; w < ww; w++) {
      ids[k++] = img[((bd * wd + d) * H + bh * wh + h) * W + bw * ww + w]!;
    }
  }
  return { ids, numWindows: nd * nh * nw, windowVolume };
}
