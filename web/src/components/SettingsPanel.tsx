// Analysis settings, device and precision: each input checked by the core schema as it changes
// (errors next to the input), saved to / loaded from a YAML or JSON file that the CLI's --config also reads.
import { useId, useState, type ReactNode } from 'react';
import type { ModelSummary, ServerInfo } from '../../../src/core/api/schema.js';
import { ActionLensError } from '../../../src/core/errors.js';
import { AGGREGATE_METHODS, CLIP_PROTOCOLS, SMOOTHING_METHODS } from '../../../src/core/settings/schema.js';
import { downloadText } from '../lib/download.js';
import { deviceChoices, providersValue } from '../settings/devices.js';
import { PRECISION_LABELS, PRECISIONS, precisionHelp } from '../settings/precision.js';
import { resolveSettingsData } from '../settings/settings-file.js';
import type { FieldErrors, FormField } from '../settings/settings-form.js';
import type { SettingsStore } from '../settings/useSettings.js';

export interface SettingsPanelProps {
  store: SettingsStore;
  info: ServerInfo;
  /** The chosen model's kind, for what the precision means (undefined while unknown). */
  modelKind?: ModelSummary['kind'];
  disabled: boolean;
  onError: (e: unknown) => void;
  onLoaded: () => void;
}

const SMOOTHING_LABELS: Record<(typeof SMOOTHING_METHODS)[number], string> = {
  none: 'none',
  moving_average: 'moving average',
  gaussian: 'gaussian',
};

interface FieldProps {
  label: string;
  help?: string;
  error?: string;
  dim?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

function Field({ label, help, error, dim, children }: FieldProps) {
  const id = useId();
  const helpId = help !== undefined ? `${id}-help` : undefined;
  const errorId = error !== undefined ? `${id}-error` : undefined;
  const describedBy = [errorId, helpId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${dim === true ? ' field--dim' : ''}${error !== undefined ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: error !== undefined })}
      {error !== undefined && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
      {help !== undefined && (
        <span id={helpId} className="field-help">
          {help}
        </span>
      )}
    </div>
  );
}

export function SettingsPanel({ store, info, modelKind, disabled, onError, onLoaded }: SettingsPanelProps) {
  const { form, setField } = store;
  const errors: FieldErrors = store.validation.ok ? {} : store.validation.errors;
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const loadId = useId();
  const choices = deviceChoices(info.execution_providers, store.providers);
  const hasEventErrors = ['aggregate', 'clip_protocol', 'enter_score', 'exit_score', 'min_duration_sec'].some((f) => errors[f as FormField] !== undefined);

  const numberInput = (field: FormField, step: string, min?: number, max?: number, testId?: string) =>
    function render({ id, describedBy, invalid }: { id: string; describedBy: string | undefined; invalid: boolean }) {
      return (
        <input
          id={id}
          data-testid={testId}
          type="number"
          inputMode="decimal"
          step={step}
          min={min}
          max={max}
          value={form[field]}
          disabled={disabled}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => setField(field, e.currentTarget.value)}
        />
      );
    };

  const save = async (format: 'yaml' | 'json') => {
    if (store.file === null) return;
    try {
      const codec = await import('../settings/settings-codec.js');
      const text = codec.serializeSettings(store.file, format);
      downloadText(text, `actionlens-settings.${format}`, format === 'json' ? 'application/json' : 'application/yaml');
    } catch (e) {
      onError(e);
    }
  };

  const load = async (file: File) => {
    try {
      const codec = await import('../settings/settings-codec.js');
      if (file.size > codec.MAX_SETTINGS_FILE_BYTES) {
        throw new ActionLensError('AL_ERR_CONFIG_READ', `${file.name} is ${Math.round(file.size / 1024)} KB: too big for a settings file.`, {
          hint: 'Pick a .yaml, .yml or .json file saved with "Save YAML" or "Save JSON".',
        });
      }
      const data = codec.parseSettingsText(await file.text(), file.name);
      store.replace(resolveSettingsData(data, store.context, file.name));
      setLoadedFrom(file.name);
      onLoaded();
    } catch (e) {
      setLoadedFrom(null);
      onError(e);
    }
  };

  return (
    <div className="settings">
      <div className="settings-grid">
        <Field label="Top-K labels" error={errors.topk} help="labels kept per window">
          {numberInput('topk', '1', 1, 1000, 'setting-topk')}
        </Field>
        <Field label="Threshold" error={errors.threshold} help="hide scores below (0..1)">
          {numberInput('threshold', '0.01', 0, 1, 'setting-threshold')}
        </Field>
        <Field label="Sample fps" error={errors.sample_fps} help="empty = model default · a number · all = every frame">
          {({ id, describedBy, invalid }) => (
            <>
              <input
                id={id}
                data-testid="setting-sample-fps"
                type="text"
                inputMode="decimal"
                list={`${id}-choices`}
                placeholder="model default"
                value={form.sample_fps}
                disabled={disabled}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => setField('sample_fps', e.currentTarget.value)}
              />
              <datalist id={`${id}-choices`}>
                <option value="all">every frame</option>
                <option value="5" />
                <option value="10" />
                <option value="25" />
              </datalist>
            </>
          )}
        </Field>
        <Field label="Window (s)" error={errors.window_sec} help="timeline resolution">
          {numberInput('window_sec', '0.1', 0, 3600, 'setting-window')}
        </Field>
        <Field label="Smoothing" error={errors.smoothing_method}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              data-testid="setting-smoothing-method"
              value={form.smoothing_method}
              disabled={disabled}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => setField('smoothing_method', e.currentTarget.value as (typeof SMOOTHING_METHODS)[number])}
            >
              {SMOOTHING_METHODS.map((m) => (
                <option key={m} value={m}>
                  {SMOOTHING_LABELS[m]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Sigma (s)" error={errors.sigma_sec} dim={form.smoothing_method !== 'gaussian'} help="gaussian only">
          {numberInput('sigma_sec', '0.1', 0, 3600, 'setting-sigma')}
        </Field>
        <Field label="Width (s)" error={errors.width_sec} dim={form.smoothing_method !== 'moving_average'} help="moving average only">
          {numberInput('width_sec', '0.1', 0, 3600, 'setting-width')}
        </Field>
        <Field label="Device" help="ONNX Runtime execution providers, tried in order">
          {({ id, describedBy }) => (
            <select
              id={id}
              data-testid="setting-device"
              value={providersValue(store.providers)}
              disabled={disabled}
              aria-describedby={describedBy}
              onChange={(e) => {
                const choice = choices.find((c) => c.value === e.currentTarget.value);
                if (choice !== undefined) store.setProviders(choice.providers);
              }}
            >
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Precision" help={precisionHelp(modelKind, info.calibration_videos)}>
          {({ id, describedBy }) => (
            <select
              id={id}
              data-testid="setting-precision"
              value={store.precision}
              disabled={disabled}
              aria-describedby={describedBy}
              onChange={(e) => {
                const chosen = PRECISIONS.find((p) => p === e.currentTarget.value);
                if (chosen !== undefined) store.setPrecision(chosen);
              }}
            >
              {PRECISIONS.map((p) => (
                <option key={p} value={p}>
                  {PRECISION_LABELS[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {/* Opened while one of its fields is invalid, so the error is never hidden. */}
      <details className="more-settings" open={hasEventErrors ? true : undefined}>
        <summary>Aggregate and events</summary>
        <div className="settings-grid">
          <Field label="Whole-video score" error={errors.aggregate}>
            {({ id, describedBy }) => (
              <select
                id={id}
                data-testid="setting-aggregate"
                value={form.aggregate}
                disabled={disabled}
                aria-describedby={describedBy}
                onChange={(e) => setField('aggregate', e.currentTarget.value as (typeof AGGREGATE_METHODS)[number])}
              >
                {AGGREGATE_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Clip models" error={errors.clip_protocol} help="full = MMAction2 test protocol">
            {({ id, describedBy }) => (
              <select
                id={id}
                data-testid="setting-clip-protocol"
                value={form.clip_protocol}
                disabled={disabled}
                aria-describedby={describedBy}
                onChange={(e) => setField('clip_protocol', e.currentTarget.value as (typeof CLIP_PROTOCOLS)[number])}
              >
                {CLIP_PROTOCOLS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Event enter score" error={errors.enter_score} help="an event starts above">
            {numberInput('enter_score', '0.05', 0, 1, 'setting-enter-score')}
          </Field>
          <Field label="Event exit score" error={errors.exit_score} help="and ends below">
            {numberInput('exit_score', '0.05', 0, 1, 'setting-exit-score')}
          </Field>
          <Field label="Event min duration (s)" error={errors.min_duration_sec}>
            {numberInput('min_duration_sec', '0.1', 0, 86400, 'setting-min-duration')}
          </Field>
        </div>
      </details>

      <div className="settings-files">
        <button type="button" data-testid="settings-save-yaml" disabled={store.file === null} onClick={() => void save('yaml')}>
          Save YAML
        </button>
        <button type="button" data-testid="settings-save-json" disabled={store.file === null} onClick={() => void save('json')}>
          Save JSON
        </button>
        <input
          id={loadId}
          data-testid="settings-load"
          type="file"
          accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
          className="visually-hidden"
          disabled={disabled}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file !== undefined) void load(file);
          }}
        />
        <label htmlFor={loadId} className="button">
          Load…
        </label>
        <span className="muted small" aria-live="polite">
          {store.file === null ? 'Fix the marked settings to run or save.' : loadedFrom !== null ? `Loaded ${loadedFrom}.` : 'Settings are remembered in this browser.'}
        </span>
      </div>
    </div>
  );
}
