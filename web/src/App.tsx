// The page: connect to the server (info + models), then the workbench: pick a video, a model and
// settings, run, follow the progress, and explore the result on the video itself.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { ModelSummary, SampleList, ServerInfo } from '../../src/core/api/schema.js';
import type { ApiClient } from './api/client.js';
import { toUserFacingError, type UserFacingError } from './api/errors.js';
import { ErrorMessage } from './components/ErrorMessage.js';
import { ModelPicker } from './components/ModelPicker.js';
import { ProgressPanel } from './components/ProgressPanel.js';
import { SamplesPanel } from './components/SamplesPanel.js';
import { SettingsPanel } from './components/SettingsPanel.js';
import { Tabs, type TabDef } from './components/Tabs.js';
import { UploadPanel } from './components/UploadPanel.js';
import { UrlPanel } from './components/UrlPanel.js';
import { isBusy, isLoadingResult } from './jobs/job-state.js';
import { useJobRunner, type RunSource } from './jobs/useJobRunner.js';
import { LivePanel } from './live/LivePanel.js';
import { publishPage } from './page-hook.js';
import { useSettings } from './settings/useSettings.js';

// Loaded with the first run: the charts are most of the page's code and the form does not need them.
const ResultsView = lazy(() => import('./results/ResultsView.js').then((m) => ({ default: m.ResultsView })));

type Boot = { kind: 'loading' } | { kind: 'error'; error: UserFacingError } | { kind: 'ready'; info: ServerInfo; models: ModelSummary[] };

export interface AppProps {
  api: ApiClient;
}

export function App({ api }: AppProps) {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });
  const connect = useCallback(() => {
    setBoot({ kind: 'loading' });
    Promise.all([api.info(), api.models()])
      .then(([info, list]) => setBoot({ kind: 'ready', info, models: list.models }))
      .catch((e: unknown) => setBoot({ kind: 'error', error: toUserFacingError(e) }));
  }, [api]);
  useEffect(connect, [connect]);

  return (
    <>
      <header className="page-header">
        <h1>actionlens</h1>
        <span className="muted small">what happens when, in a video{boot.kind === 'ready' ? ` · server ${boot.info.version}` : ''}</span>
      </header>
      <main className="page">
        {boot.kind === 'loading' && <p className="muted">Connecting to the actionlens server…</p>}
        {boot.kind === 'error' && (
          <section className="panel">
            <ErrorMessage error={boot.error} />
            <button type="button" onClick={connect}>
              Try again
            </button>
          </section>
        )}
        {boot.kind === 'ready' && <Workbench api={api} info={boot.info} models={boot.models} />}
      </main>
    </>
  );
}

type InputTab = 'upload' | 'url' | 'webcam' | 'samples';

function useSamples(api: ApiClient, enabled: boolean) {
  const [samples, setSamples] = useState<SampleList['samples'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api
      .samples()
      .then((list) => live && setSamples(list.samples))
      .catch((e: unknown) => live && setError(toUserFacingError(e).message));
    return () => {
      live = false;
    };
  }, [api, enabled]);
  return { samples, error };
}

interface WorkbenchProps {
  api: ApiClient;
  info: ServerInfo;
  models: ModelSummary[];
}

function Workbench({ api, info, models: initialModels }: WorkbenchProps) {
  const [models, setModels] = useState(initialModels);
  const settings = useSettings(info, models);
  const runner = useJobRunner(api);
  const run = runner.state;
  // A run may have downloaded and converted its model: the table's cache flags are read again.
  useEffect(() => {
    if (run.result === undefined || run.result === null) return;
    let live = true;
    api.models().then((list) => live && setModels(list.models), () => undefined);
    return () => {
      live = false;
    };
  }, [api, run.result]);
  const busy = isBusy(run);
  const samples = useSamples(api, info.samples);

  const [tab, setTab] = useState<InputTab>('upload');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [sample, setSample] = useState<string | null>(null);
  // Settings of the running job, for drawing its partial timeline.
  const [runShape, setRunShape] = useState({ binSec: info.analysis.window_sec, lines: info.analysis.topk });

  useEffect(() => publishPage({ jobId: run.jobId, result: run.result }), [run.jobId, run.result]);

  const tabs = useMemo(() => {
    const list: TabDef<InputTab>[] = [
      { id: 'upload', label: 'Upload', testId: 'tab-upload' },
      { id: 'url', label: 'URL', testId: 'tab-url' },
      { id: 'webcam', label: 'Webcam', testId: 'tab-webcam' },
    ];
    if (info.samples) list.push({ id: 'samples', label: 'Samples', testId: 'tab-samples' });
    return list;
  }, [info.samples]);

  const trimmedUrl = url.trim();
  const source: RunSource | null =
    tab === 'upload' && file !== null
      ? { kind: 'file', file }
      : tab === 'url' && trimmedUrl !== ''
        ? { kind: 'url', url: trimmedUrl }
        : tab === 'samples' && sample !== null
          ? { kind: 'sample', name: sample }
          : null;

  const blockedBy = busy
    ? null
    : settings.file === null
      ? 'Fix the marked settings first.'
      : source === null
        ? tab === 'upload'
          ? 'Drop or choose a video first.'
          : tab === 'url'
            ? 'Enter a video URL first.'
            : 'Pick a sample first.'
        : null;

  const start = (chosen: RunSource) => {
    const file = settings.file;
    if (file === null || busy) return;
    setRunShape({ binSec: file.analysis.window_sec, lines: file.analysis.topk });
    runner.start({
      source: chosen,
      model: file.model,
      analysis: file.analysis,
      execution_providers: file.runtime.execution_providers,
      precision: file.runtime.precision,
      maxUploadMb: info.limits.max_upload_mb,
    });
  };

  const showResults = run.jobId !== null && (run.result !== null || run.phase === 'running' || isLoadingResult(run));
  const live = useMemo(() => ({ ...runShape, durationSec: run.uploadInfo?.duration_s }), [runShape, run.uploadInfo]);

  return (
    <>
      <section className="panel" aria-labelledby="input-heading">
        <h2 id="input-heading">Video</h2>
        <Tabs tabs={tabs} active={tab} onChange={setTab} idBase="input" label="Video source">
          {tab === 'upload' && (
            <UploadPanel
              file={file}
              onFile={setFile}
              maxUploadMb={info.limits.max_upload_mb}
              maxDurationSec={info.limits.max_duration_sec}
              disabled={busy}
            />
          )}
          {tab === 'url' && (
            <UrlPanel
              url={url}
              onUrl={setUrl}
              canSubmit={!busy && settings.file !== null && trimmedUrl !== ''}
              onSubmit={() => start({ kind: 'url', url: trimmedUrl })}
              allowPrivate={info.url_input.allow_private}
            />
          )}
          {tab === 'webcam' && <LivePanel models={models} apiBase="" token={api.token} />}
          {tab === 'samples' && <SamplesPanel samples={samples.samples} loadError={samples.error} selected={sample} onSelect={setSample} />}
        </Tabs>
      </section>

      <section className="panel" aria-labelledby="model-heading">
        <h2 id="model-heading">Model</h2>
        <ModelPicker models={models} value={settings.model} onChange={settings.setModel} disabled={busy} />
      </section>

      <section className="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <SettingsPanel
          store={settings}
          info={info}
          modelKind={models.find((m) => m.id === settings.model)?.kind}
          disabled={busy}
          onError={runner.showError}
          onLoaded={runner.dismissError}
        />
      </section>

      <section className="panel run-panel" aria-label="Run">
        {tab !== 'webcam' && (
          <div className="inline">
            <button
              type="button"
              className="primary"
              data-testid="run-button"
              disabled={busy || blockedBy !== null}
              aria-describedby={blockedBy !== null ? 'run-blocked' : undefined}
              onClick={() => source !== null && start(source)}
            >
              Run
            </button>
            {blockedBy !== null && (
              <span id="run-blocked" className="muted small">
                {blockedBy}
              </span>
            )}
          </div>
        )}
        <ProgressPanel run={run} onCancel={runner.cancel} />
        <ErrorMessage error={run.error} onDismiss={runner.dismissError} />
      </section>

      {showResults && (
        <Suspense fallback={<p className="muted">Loading the results view…</p>}>
          <ResultsView key={run.jobId} api={api} run={run} live={live} />
        </Suspense>
      )}
    </>
  );
}
