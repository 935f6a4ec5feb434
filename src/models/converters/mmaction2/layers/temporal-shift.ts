// TSM's temporal shift on per-frame feature maps: the frames of one clip are consecutive in the
// batch axis. Of C channels, the first C/shift_div take their values from the next frame, the next
// C/shift_div from the previous frame (zeros past either end), the rest stay. No weights.
import { tensors, type GraphBuilder } from '../../onnx/index.js';
import type { FeatureMap } from './feature-map.js';

export function temporalShift(g: GraphBuilder, x: FeatureMap, numSegments: number, shiftDiv: number, label: string): FeatureMap {
  if (x.dims.length !== 3) throw new RangeError(`${label}: temporal shift needs a 2D feature map [N, C, H, W], got [N, ${x.dims}]`);
  const [c, h, w] = x.dims as [number, number, number];
  const fold = Math.floor(c / shiftDiv);
  if (fold === 0) return x;
  const i64 = (hint: string, values: number[]) => g.constant(hint, tensors.int64(values));
  const [clips] = g.node('Reshape', [x.name, i64('shift.clip_shape', [-1, numSegments, c, h * w])], {}, { outputs: [g.uniqueName(`${label}.clips`)] }); // [N/S, S, C, HW]

  const slice = (hint: string, starts: number[], ends: number[]) =>
    g.node('Slice', [clips!, i64(`${hint}.starts`, starts), i64(`${hint}.ends`, ends), i64(`${hint}.axes`, [1, 2])], {}, { outputs: [g.uniqueName(`${label}.${hint}`)] })[0]!;
  const zeroPad = (hint: string, data: string, before: number, after: number) =>
    // pads are [begins..., ends...] over the 4 axes; only the segment axis (1) is padded
    g.node('Pad', [data, i64(`${hint}.pads`, [0, before, 0, 0, 0, after, 0, 0])], { mode: 'constant' }, { outputs: [g.uniqueName(`${label}.${hint}`)] })[0]!;

  // frame t reads frame t+1 for the first fold of channels
  const fromNext = zeroPad('from_next', slice('next', [1, 0], [numSegments, fold]), 0, 1); // [N/S, S, fold, HW]
  // frame t reads frame t-1 for the second fold
  const fromPrev = zeroPad('from_prev', slice('prev', [0, fold], [numSegments - 1, 2 * fold]), 1, 0); // [N/S, S, fold, HW]
  const kept = slice('kept', [0, 2 * fold], [numSegments, c]); // [N/S, S, C - 2 fold, HW]
  const [shifted] = g.node('Concat', [fromNext, fromPrev, kept], { axis: 2 }, { outputs: [g.uniqueName(`${label}.shifted`)] }); // [N/S, S, C, HW]
  const [y] = g.node('Reshape', [shifted!, i64('shift.frame_shape', [-1, c, h, w])], {}, { outputs: [g.uniqueName(label)] }); // [N, C, H, W]
  return { name: y!, dims: x.dims };
}
