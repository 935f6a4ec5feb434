// Typed access to ../shared/fixtures/mmaction2-preprocess (MMAction2 1.2.0 run on the shared clips).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SHARED_DIR = path.resolve(process.cwd(), '../shared');
export const PREPROCESS_DIR = path.join(SHARED_DIR, 'fixtures', 'mmaction2-preprocess');
export const MEDIA_DIR = path.join(SHARED_DIR, 'media');
export const HAVE_FIXTURES = existsSync(PREPROCESS_DIR);

export interface SampleFramesSettings {
  clip_len: number;
  frame_interval: number;
  num_clips: number;
  twice_sample: boolean;
  out_of_bound_opt: 'loop' | 'repeat_last';
  keep_tail_frames: boolean;
  target_fps: number | null;
}

export interface SyntheticVariant {
  settings: SampleFramesSettings;
  cases: { total_frames: number; avg_fps: number | null; frame_inds: number[] }[];
}

export interface FixtureStep {
  type: string;
  [key: string]: unknown;
}

export interface BackendRecord {
  ok: boolean;
  pipeline: FixtureStep[];
  sample_frames: { settings: SampleFramesSettings; total_frames: number; avg_fps: number | null; frame_inds: number[] };
  decoded_first_frame: { frame_ind: number; shape: [number, number, number]; sha256: string };
  steps: FixtureStep[];
  data_preprocessor: { mean: number[]; std: number[] };
  final: {
    format_shape: 'NCHW' | 'NCTHW';
    shape: number[];
    mean: number;
    std: number;
    min: number;
    max: number;
    sha256_le: string;
    sample_indices: number[];
    samples: number[];
  };
}

export interface VideoFixture {
  model: string;
  video: string;
  config_pipeline: FixtureStep[];
  data_preprocessor_cfg: { mean: number[]; std: number[]; format_shape?: string };
  backends: Record<string, BackendRecord>;
}

export function loadSyntheticSampleFrames(): Record<string, SyntheticVariant> {
  return JSON.parse(readFileSync(path.join(PREPROCESS_DIR, '_sampleframes_synthetic.json'), 'utf8')) as Record<string, SyntheticVariant>;
}

/** File names of every `<model>__<video>.json` fixture. */
export function videoFixtureNames(): string[] {
  if (!HAVE_FIXTURES) return [];
  return readdirSync(PREPROCESS_DIR).filter((f) => f.includes('__') && f.endsWith('.json')).sort();
}

export function loadVideoFixture(name: string): VideoFixture {
  return JSON.parse(readFileSync(path.join(PREPROCESS_DIR, name), 'utf8')) as VideoFixture;
}

/** The recorded step of a given type (first match) in a backend's run, read as the fields the caller names. */
export function stepOf<T extends object = FixtureStep>(record: BackendRecord, type: string): T {
  const step = record.steps.find((s) => s.type === type);
  if (!step) throw new Error(`fixture has no ${type} step (has ${record.steps.map((s) => s.type).join(', ')})`);
  return step as unknown as T;
}
