// Types for tflite-reference.mjs (plain JavaScript, run directly by node).
export { createTfliteStream, type TfliteStream, type TfliteStreamOptions } from './lib/tflite-stream.mjs';
import type { LatencySummary } from './lib/latency-stats.mjs';
import type { FixtureComparison } from './lib/fixture-compare.mjs';

export interface BenchmarkOptions {
  videoPath: string;
  /** 'all' or frames per second for ffmpeg's fps filter. Default 'all'. */
  fps?: 'all' | number;
  threads?: number;
  /** Timed passes over the clip after warm-up. Default 3. */
  runs?: number;
  /** Minimum frames stepped before timing (whole passes). Default 64. */
  warmupFrames?: number;
  modelPath?: string;
}

export interface BenchmarkResult {
  runtime: string;
  wasm_build: string;
  threads: number;
  threads_supported: Record<string, string>;
  model: string;
  video: string;
  fps: 'all' | number;
  frames: number;
  runs: number;
  warmup_frames: number;
  ms_per_frame: LatencySummary;
  first_pass_ms_per_frame: number;
  deterministic: boolean;
  final_top1: { index: number; label: string | null; prob: number };
  /** null when the shared mirror has no fixture for this clip and fps. */
  fixture_match: boolean | null;
  fixture: { file: string; ms_per_frame: number; comparison: FixtureComparison } | null;
  node: string;
}

export function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult>;
