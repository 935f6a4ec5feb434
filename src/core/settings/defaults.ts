import type { AppConfig } from './schema.js';

/** Built-in defaults; configs/app.yaml repeats them with a comment per key (a test keeps them equal). */
export const DEFAULT_CONFIG: AppConfig = deepFreeze({
  model: 'movinet-a0-stream-k600',
  analysis: {
    topk: 5,
    threshold: 0,
    sample_fps: null,
    window_sec: 1,
    smoothing: { method: 'gaussian', sigma_sec: 1, width_sec: 3 },
    aggregate: 'mean',
    events: { enter_score: 0.3, exit_score: 0.2, min_duration_sec: 1 },
    clip_protocol: 'timeline',
  },
  runtime: { threads: 0, execution_providers: ['cpu'], workers: 1, precision: 'fp32', calibration: [] },
  store: { cache_dir: null, mirrors: [], offline: false },
  video: { ffmpeg: null, ffprobe: null, queue_frames: 8 },
  result_cache: { enabled: true },
  server: {
    host: '127.0.0.1',
    port: 8731,
    token: null,
    max_upload_mb: 2048,
    max_duration_sec: 4 * 3600,
    url_input: { allow_private: false, max_mb: 2048, timeout_sec: 600, max_redirects: 5 },
    concurrency: 1,
    max_queued: 32,
    retain_sec: 1800,
    samples_dir: null,
    temp_dir: null,
  },
  log_level: 'info',
} satisfies AppConfig);

/** Frozen all the way down so no caller can change the defaults for everyone else. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
