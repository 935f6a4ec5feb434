// The settings form: what the inputs hold (text, so a half-typed number is not lost) and how it
// becomes AnalysisSettings, checked by the core schema with each error mapped to its input.
import {
  AGGREGATE_METHODS,
  AnalysisSettingsSchema,
  CLIP_PROTOCOLS,
  SMOOTHING_METHODS,
  type AnalysisSettings,
} from '../../../src/core/settings/schema.js';
import { formatPath } from '../../../src/core/settings/format-issues.js';

export type SmoothingMethod = (typeof SMOOTHING_METHODS)[number];
export type AggregateMethod = (typeof AGGREGATE_METHODS)[number];
export type ClipProtocol = (typeof CLIP_PROTOCOLS)[number];

export interface SettingsForm {
  topk: string;
  threshold: string;
  /** '' = the model's own rate, 'all' = every frame, else a number. */
  sample_fps: string;
  window_sec: string;
  smoothing_method: SmoothingMethod;
  sigma_sec: string;
  width_sec: string;
  aggregate: AggregateMethod;
  enter_score: string;
  exit_score: string;
  min_duration_sec: string;
  clip_protocol: ClipProtocol;
}

export type FormField = keyof SettingsForm;
export type FieldErrors = Partial<Record<FormField, string>>;

/** Schema path (as formatPath writes it) -> form input. */
const FIELD_BY_PATH: Record<string, FormField> = {
  topk: 'topk',
  threshold: 'threshold',
  sample_fps: 'sample_fps',
  window_sec: 'window_sec',
  'smoothing.method': 'smoothing_method',
  'smoothing.sigma_sec': 'sigma_sec',
  'smoothing.width_sec': 'width_sec',
  aggregate: 'aggregate',
  'events.enter_score': 'enter_score',
  'events.exit_score': 'exit_score',
  'events.min_duration_sec': 'min_duration_sec',
  clip_protocol: 'clip_protocol',
};

export function formFromSettings(s: AnalysisSettings): SettingsForm {
  return {
    topk: String(s.topk),
    threshold: String(s.threshold),
    sample_fps: s.sample_fps === null ? '' : String(s.sample_fps),
    window_sec: String(s.window_sec),
    smoothing_method: s.smoothing.method,
    sigma_sec: String(s.smoothing.sigma_sec),
    width_sec: String(s.smoothing.width_sec),
    aggregate: s.aggregate,
    enter_score: String(s.events.enter_score),
    exit_score: String(s.events.exit_score),
    min_duration_sec: String(s.events.min_duration_sec),
    clip_protocol: s.clip_protocol,
  };
}

/**
 * A number input's text as the schema should see it: '' -> missing, a number -> the number,
 * anything else -> the text itself, so the error message shows what was typed.
 */
export function numberFromText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** '' -> null (model default), "all" -> 'all', else as numberFromText. */
export function sampleFpsFromText(text: string): number | string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (t.toLowerCase() === 'all') return 'all';
  return numberFromText(t);
}

export type FormResult = { ok: true; settings: AnalysisSettings } | { ok: false; errors: FieldErrors };

export function settingsFromForm(f: SettingsForm): FormResult {
  const candidate = {
    topk: numberFromText(f.topk),
    threshold: numberFromText(f.threshold),
    sample_fps: sampleFpsFromText(f.sample_fps),
    window_sec: numberFromText(f.window_sec),
    smoothing: { method: f.smoothing_method, sigma_sec: numberFromText(f.sigma_sec), width_sec: numberFromText(f.width_sec) },
    aggregate: f.aggregate,
    events: {
      enter_score: numberFromText(f.enter_score),
      exit_score: numberFromText(f.exit_score),
      min_duration_sec: numberFromText(f.min_duration_sec),
    },
    clip_protocol: f.clip_protocol,
  };
  const parsed = AnalysisSettingsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_BY_PATH[formatPath(issue.path)];
    // Every path the form produces maps to an input; first message per input wins.
    if (field !== undefined && errors[field] === undefined) errors[field] = issue.message;
  }
  if (Object.keys(errors).length === 0) errors.topk = parsed.error.issues[0]?.message ?? 'invalid settings';
  return { ok: false, errors };
}
