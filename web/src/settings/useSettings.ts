// The page's settings (model, analysis form, device, precision): start from the server's defaults, or from
// the last valid settings this browser used (localStorage), and remember every valid change.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ModelSummary, ServerInfo } from '../../../src/core/api/schema.js';
import { defaultProviders, type ExecutionProvider } from './devices.js';
import { resolveSettingsData, settingsFileData, type Precision, type SettingsContext, type SettingsFile } from './settings-file.js';
import { formFromSettings, settingsFromForm, type FormField, type FormResult, type SettingsForm } from './settings-form.js';

export const SETTINGS_STORAGE_KEY = 'actionlens.settings.v1';

interface Values {
  model: string;
  form: SettingsForm;
  providers: ExecutionProvider[];
  precision: Precision;
}

export interface SettingsStore {
  model: string;
  form: SettingsForm;
  providers: ExecutionProvider[];
  precision: Precision;
  validation: FormResult;
  /** The settings as a file, or null while a field is invalid. */
  file: SettingsFile | null;
  /** Defaults and allowed values for loading a file. */
  context: SettingsContext;
  setModel(id: string): void;
  setField<K extends FormField>(field: K, value: SettingsForm[K]): void;
  setProviders(list: ExecutionProvider[]): void;
  setPrecision(precision: Precision): void;
  replace(file: SettingsFile): void;
}

function serverDefaults(info: ServerInfo, models: readonly ModelSummary[]): SettingsFile {
  const model = models.length === 0 || models.some((m) => m.id === info.default_model) ? info.default_model : models[0].id;
  return {
    model,
    analysis: info.analysis,
    runtime: { execution_providers: info.default_execution_providers ?? defaultProviders(info.execution_providers), precision: info.default_precision },
  };
}

function valuesOf(file: SettingsFile): Values {
  return { model: file.model, form: formFromSettings(file.analysis), providers: [...file.runtime.execution_providers], precision: file.runtime.precision };
}

function readRemembered(ctx: SettingsContext): SettingsFile | null {
  try {
    const text = window.localStorage.getItem(SETTINGS_STORAGE_KEY);
    if (text === null) return null;
    return resolveSettingsData(JSON.parse(text) as unknown, ctx, 'remembered settings');
  } catch {
    // Storage off, or settings from an older page or another server: start from the defaults.
    return null;
  }
}

/** Mounted once the server's info and model list are known; they give the defaults and the allowed values. */
export function useSettings(info: ServerInfo, models: readonly ModelSummary[]): SettingsStore {
  const context = useMemo<SettingsContext>(
    () => ({ defaults: serverDefaults(info, models), modelIds: models.map((m) => m.id), providers: info.execution_providers }),
    [info, models],
  );
  const [values, setValues] = useState<Values>(() => valuesOf(readRemembered(context) ?? context.defaults));

  const validation = useMemo(() => settingsFromForm(values.form), [values.form]);
  const file = useMemo<SettingsFile | null>(
    () =>
      validation.ok
        ? settingsFileData({ model: values.model, analysis: validation.settings, runtime: { execution_providers: values.providers, precision: values.precision } })
        : null,
    [validation, values.model, values.providers, values.precision],
  );

  useEffect(() => {
    if (file === null) return;
    try {
      window.localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(file));
    } catch {
      // Storage full or disabled: the settings still apply to this page view.
    }
  }, [file]);

  const setModel = useCallback((id: string) => setValues((v) => ({ ...v, model: id })), []);
  const setField = useCallback(<K extends FormField>(field: K, value: SettingsForm[K]) => {
    setValues((v) => ({ ...v, form: { ...v.form, [field]: value } }));
  }, []);
  const setProviders = useCallback((list: ExecutionProvider[]) => setValues((v) => ({ ...v, providers: list })), []);
  const setPrecision = useCallback((precision: Precision) => setValues((v) => ({ ...v, precision })), []);
  const replace = useCallback((f: SettingsFile) => setValues(valuesOf(f)), []);

  return { ...values, validation, file, context, setModel, setField, setProviders, setPrecision, replace };
}
