// Types for ffmpeg-frames.mjs.
export const FFMPEG_PATH: string;
export function movinetDecodeArgs(options: { fps: 'all' | number; size?: number }): string[];
/** rgb24 HWC frames, [H, W, 3] each; `<video>` in args stands for videoPath. */
export function decodeRgbFrames(options: { videoPath: string; args: string[]; width: number; height: number }): Promise<Uint8Array[]>;
export function rgb24ToUnitFloat(rgb: Uint8Array): Float32Array;
