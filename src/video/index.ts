// Video in (Node): locate ffmpeg, probe, and stream decoded frames.
export { decodeFrames, type DecodeOptions, type DecodeStats, type FrameStream } from './decode.js';
export { buildDecodeArgs, type DecodeArgsOptions, type OutputGeometry } from './decode-args.js';
export {
  FFMPEG_ENV,
  FFPROBE_ENV,
  ffmpegVersion,
  locateFfmpeg,
  type FfmpegLocateOptions,
  type FfmpegTools,
} from './ffmpeg-locate.js';
export { probeVideo, type ProbeOptions } from './probe.js';
