// The ffmpeg command line for streaming rgb24 frames. The pixel-affecting part
// (`-i <video> -vf [fps=F,]scale=W:H:flags=bilinear -f rawvideo -pix_fmt rgb24 -`) is exactly the one
// the MoViNet fixtures were made with; the extra flags do not change a byte of the output:
//   -map 0:V:0             the first video stream that is not cover art (the one probe describes)
//   -fps_mode passthrough  one output frame per decoded frame with its real timestamp; rawvideo's
//                          default (cfr) would duplicate frames across timestamp gaps in VFR video
//   showinfo (last filter) logs each frame's pts and size on stderr (needs loglevel info)
//   -loglevel level+info   tags each stderr line with its level, so errors can be told apart
import { ActionLensError } from '../core/errors.js';
import { planFrameSelection, selectedFrameCount, selectFilter, type FrameSelection } from './frame-selection.js';

/** Size of the frames handed out. */
export type OutputGeometry =
  /** Plain resize to exactly width x height (aspect not kept), like the MoViNet fixtures. */
  | { kind: 'exact'; width: number; height: number }
  /** Keep aspect; the short side becomes `size`, the long side rounds half up (MMAction2 Resize(-1, size)). */
  | { kind: 'short-side'; size: number }
  /** Display size (after rotation), no scaling. */
  | { kind: 'native' };

export interface DecodeArgsOptions {
  /** Path (absolute is safest) or URL of the video. */
  input: string;
  geometry: OutputGeometry;
  /** Resample to this frame rate with ffmpeg's fps filter; omit to get every frame. */
  fps?: number;
  /** Stop after this many frames. */
  maxFrames?: number;
  /**
   * Only these source frames (0-based decode order, any order, duplicates ignored): ffmpeg selects
   * them and stops after the last. Not combinable with fps or maxFrames.
   */
  selectFrames?: readonly number[];
}

const MAX_SIDE = 16384;

function checkPositiveInteger(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'${name}' must be an integer in [1, ${max}], got ${String(value)}.`, {
      hint: `Pass a whole number of ${name.includes('Frames') ? 'frames' : 'pixels'} in range.`,
    });
  }
}

/** Validates the numeric options (throws AL_ERR_INVALID_SETTINGS naming the bad one). */
export function validateDecodeArgs(options: Omit<DecodeArgsOptions, 'input'>): void {
  const { geometry } = options;
  if (geometry.kind === 'exact') {
    checkPositiveInteger('geometry.width', geometry.width, MAX_SIDE);
    checkPositiveInteger('geometry.height', geometry.height, MAX_SIDE);
  } else if (geometry.kind === 'short-side') {
    checkPositiveInteger('geometry.size', geometry.size, MAX_SIDE);
  } else if (geometry.kind !== 'native') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'geometry.kind' must be 'exact', 'short-side' or 'native', got '${String((geometry as { kind: unknown }).kind)}'.`);
  }
  if (options.fps !== undefined && !(Number.isFinite(options.fps) && options.fps > 0 && options.fps <= 1000)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'fps' must be a number in (0, 1000], got ${String(options.fps)}.`, {
      hint: 'Omit fps to decode every frame.',
    });
  }
  if (options.maxFrames !== undefined) checkPositiveInteger('maxFrames', options.maxFrames, Number.MAX_SAFE_INTEGER);
  if (options.selectFrames !== undefined) planFrameSelection(options.selectFrames); // throws on bad indices
  if (options.selectFrames !== undefined && (options.fps !== undefined || options.maxFrames !== undefined)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'selectFrames' cannot be combined with ${options.fps !== undefined ? "'fps'" : "'maxFrames'"}: it picks source frames by their decode-order number.`, {
      hint: 'Give either selectFrames, or fps / maxFrames.',
    });
  }
}

/** The scale filter for a geometry; undefined for native size. */
export function scaleFilter(geometry: OutputGeometry): string | undefined {
  switch (geometry.kind) {
    case 'exact':
      return `scale=${geometry.width}:${geometry.height}:flags=bilinear`;
    case 'short-side': {
      const s = geometry.size;
      // Quoted so the commas inside the expressions do not split the filter chain.
      const w = `'if(lte(iw,ih),${s},floor(iw*${s}/ih+0.5))'`;
      const h = `'if(lte(iw,ih),floor(ih*${s}/iw+0.5),${s})'`;
      return `scale=w=${w}:h=${h}:flags=bilinear`;
    }
    case 'native':
      return undefined;
  }
}

/** The video filter chain: select or resample first (scale fewer frames), then scale, then showinfo. */
export function videoFilter(options: Pick<DecodeArgsOptions, 'geometry' | 'fps'>, selection?: FrameSelection): string {
  const filters: string[] = [];
  if (selection) filters.push(selectFilter(selection.ranges));
  if (options.fps !== undefined) filters.push(`fps=${options.fps}`);
  const scale = scaleFilter(options.geometry);
  if (scale) filters.push(scale);
  filters.push('showinfo');
  return filters.join(',');
}

/** The selection for `selectFrames` (undefined when every frame is wanted). */
export function frameSelectionOf(options: Pick<DecodeArgsOptions, 'selectFrames'>): FrameSelection | undefined {
  return options.selectFrames === undefined ? undefined : planFrameSelection(options.selectFrames);
}

export function buildDecodeArgs(options: DecodeArgsOptions, selection = frameSelectionOf(options)): string[] {
  validateDecodeArgs(options);
  const args = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'level+info'];
  args.push('-i', options.input, '-map', '0:V:0', '-fps_mode', 'passthrough');
  args.push('-vf', videoFilter(options, selection));
  if (options.maxFrames !== undefined) args.push('-frames:v', String(options.maxFrames));
  // Stop right after the last selected frame instead of decoding the rest of the video.
  if (selection) args.push('-frames:v', String(selectedFrameCount(selection.ranges)));
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  return args;
}
