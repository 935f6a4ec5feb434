// Plain data that flows from the video layer into the core. No platform types here: the browser
// produces the same shapes from WebCodecs / canvas.

/** What a probe learns about a video before anything is decoded. */
export interface VideoInfo {
  /** Container duration in seconds (0 when unknown, e.g. a broken header). */
  durationSec: number;
  /** Average frame rate (frames / second) of the video stream. */
  fps: number;
  /** Number of frames (exact when the container says so, else estimated from duration * fps). */
  frameCount: number;
  /** True when frameCount was estimated rather than read from the container. */
  frameCountEstimated: boolean;
  /** Display size after rotation is applied. */
  width: number;
  height: number;
  /** Rotation in degrees clockwise from the display matrix / rotate tag (0, 90, 180, 270). */
  rotation: number;
  /** Codec name as ffprobe reports it, e.g. "h264", "gif", "mpeg4". */
  codec: string;
  /** Container format name(s) as ffprobe reports them, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  hasAudio: boolean;
  /** True when r_frame_rate and avg_frame_rate disagree (variable frame rate). */
  variableFrameRate: boolean;
  sizeBytes: number;
}

/** One decoded frame: packed RGB, 3 bytes a pixel, row-major, no padding. */
export interface RgbFrame {
  /** 0-based position of this frame in the decoded (possibly resampled) sequence. */
  index: number;
  /** Presentation time in seconds from the start of the video. */
  ptsSec: number;
  width: number;
  height: number;
  /** [height, width, 3] uint8 */
  data: Uint8Array;
}
