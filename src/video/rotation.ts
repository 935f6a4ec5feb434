// Display rotation of a video stream, in clockwise degrees (0, 90, 180, 270): what ffmpeg's
// autorotate applies when decoding, so frames come out the way a player shows them.
import type { FfprobeStream } from './ffprobe-schema.js';

/** Rounds any angle to the nearest quarter turn in [0, 360). */
export function normaliseQuarterTurn(degrees: number): number {
  const quarter = Math.round(degrees / 90) * 90;
  return ((quarter % 360) + 360) % 360;
}

/**
 * The display matrix side data (ffprobe >= 5) gives counter-clockwise degrees, hence the minus
 * sign (ffmpeg's own get_rotation does the same); the legacy `rotate` tag (older ffprobe) is
 * already clockwise. The display matrix wins when both are present.
 */
export function streamRotation(stream: Pick<FfprobeStream, 'side_data_list' | 'tags'>): number {
  const matrix = stream.side_data_list?.find(
    (sd) => sd.side_data_type === 'Display Matrix' && sd.rotation !== undefined,
  );
  if (matrix) {
    const ccw = Number(matrix.rotation);
    if (Number.isFinite(ccw)) return normaliseQuarterTurn(-ccw);
  }
  const tag = stream.tags?.rotate;
  if (tag !== undefined) {
    const cw = Number(tag);
    if (Number.isFinite(cw)) return normaliseQuarterTurn(cw);
  }
  return 0;
}

/** Width and height as displayed: a quarter turn swaps them. */
export function displaySize(codedWidth: number, codedHeight: number, rotation: number): { width: number; height: number } {
  return rotation === 90 || rotation === 270
    ? { width: codedHeight, height: codedWidth }
    : { width: codedWidth, height: codedHeight };
}
