// Live webcam analysis with a stream model (MoViNet): the camera's newest frame at the model's rate,
// scored in this browser (onnxruntime-web) or on the server (WebSocket), with the current top-K, a
// timeline of the leading labels over the last 30 s, and how fast and how fresh the labels are.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Chart as ChartInstance, ChartConfiguration } from 'chart.js';
import type { ModelSummary } from '../../../src/core/api/index.js';
import type { ScoredLabel } from '../../../src/core/postprocess/index.js';
import { toUserFacingError, type UserFacingError } from '../api/errors.js';
import { formatScore } from '../lib/format.js';
import { Chart, scoreLineOptions } from '../results/chart-setup.js';
import { describeCameraError, openCamera, stopCamera } from './camera.js';
import { createFrameGrabber } from './frame-grabber.js';
import { fetchLiveModelInfo, fetchLiveModelOnnx } from './live-api.js';
import { createLiveHistory, type LivePoint } from './live-history.js';
import { startLiveLoop, type LiveEngine, type LiveLoop, type LiveResult, type LiveStats } from './live-loop.js';
import { createOrtWebStream, ortWebEngine } from './ort-web-stream.js';
import { connectServerEngine } from './server-engine.js';

export interface LivePanelProps {
  /** Zoo models; the panel offers those with kind === 'stream'. */
  models: ModelSummary[];
  /** '' for same-origin. */
  apiBase: string;
  /** Server token or null. */
  token: string | null;
}

export type LiveEngineKind = 'page' | 'server';

/** What tests and benches read from the page while it runs (window.__actionlensLive). */
export interface LiveWindowStats {
  engine: LiveEngineKind;
  frames: number;
  inferFps: number;
  inferMsP50: number;
  latencyMsP50: number;
  latencyMsP95: number;
  top1: string | null;
}

declare global {
  interface Window {
    __actionlensLive?: LiveWindowStats;
  }
}

const TOP_K = 5;
const TIMELINE_SEC = 30;

type LiveChart = ChartInstance<'line', LivePoint[], unknown>;

interface Running {
  engine: LiveEngineKind;
  stop(): Promise<void>;
}

/** A failure already put in words (the camera's), kept apart from API and engine errors. */
class DescribedError extends Error {
  constructor(readonly described: UserFacingError) {
    super(described.message);
  }
}

function describe(e: unknown): UserFacingError {
  return e instanceof DescribedError ? e.described : toUserFacingError(e);
}

/** WASM threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages. */
function wasmThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1));
}

function publish(engine: LiveEngineKind, stats: LiveStats | null, top1: string | null): void {
  window.__actionlensLive = {
    engine,
    frames: stats?.frames ?? 0,
    inferFps: stats?.inferFps ?? 0,
    inferMsP50: stats?.inferMsP50 ?? 0,
    latencyMsP50: stats?.latencyMsP50 ?? 0,
    latencyMsP95: stats?.latencyMsP95 ?? 0,
    top1,
  };
}

function chartConfig(): ChartConfiguration<'line', LivePoint[], unknown> {
  return {
    type: 'line',
    data: { datasets: [] },
    options: scoreLineOptions({ min: -TIMELINE_SEC, max: 0, title: 'seconds ago', tick: (sec) => `${Math.abs(sec)}` }),
  };
}

export function LivePanel({ models, apiBase, token }: LivePanelProps) {
  const streamModels = useMemo(() => models.filter((m) => m.kind === 'stream'), [models]);
  const [model, setModel] = useState(streamModels[0]?.id ?? '');
  const [engineKind, setEngineKind] = useState<LiveEngineKind>('page');
  const [phase, setPhase] = useState<'idle' | 'starting' | 'running'>('idle');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<UserFacingError | null>(null);
  const [topk, setTopk] = useState<ScoredLabel[]>([]);
  const [stats, setStats] = useState<LiveStats | null>(null);

  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<LiveChart | null>(null);
  const [history] = useState(() => createLiveHistory(TIMELINE_SEC * 1000));
  const running = useRef<Running | null>(null);

  // The model list can arrive after the first render.
  useEffect(() => {
    if (!streamModels.some((m) => m.id === model)) setModel(streamModels[0]?.id ?? '');
  }, [streamModels, model]);

  const redraw = useCallback(() => {
    const chart = chartRef.current;
    if (chart === null) return;
    chart.data.datasets = history.lines().map((line) => ({
      label: line.label,
      data: line.points,
      borderColor: line.color,
      backgroundColor: line.color,
      borderWidth: 2,
      pointRadius: 0,
      pointHitRadius: 6,
      spanGaps: false,
      tension: 0,
    }));
    chart.update('none');
  }, [history]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const chart: LiveChart = new Chart(canvas, chartConfig());
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.destroy();
    };
  }, []);

  const stop = useCallback(async () => {
    const current = running.current;
    if (current === null) return;
    running.current = null;
    await current.stop();
    setPhase('idle');
    setStatus('');
  }, []);

  // Leaving the tab (unmount) releases the camera, the socket and the in-page session.
  useEffect(() => () => void running.current?.stop(), []);

  const start = useCallback(() => {
    const video = videoRef.current;
    if (running.current !== null || video === null || model === '') return;
    const kind = engineKind;
    const abort = new AbortController();
    const cleanups: (() => unknown)[] = [];
    let loop: LiveLoop | undefined;

    const fail = (e: unknown) => {
      if (abort.signal.aborted) return; // stopped by the user: not an error
      setError(describe(e));
      void stop();
    };

    const setup = (async () => {
      setStatus('Starting the camera…');
      let media: MediaStream;
      try {
        media = await openCamera();
      } catch (e) {
        throw new DescribedError(describeCameraError(e));
      }
      cleanups.push(() => stopCamera(media));
      if (abort.signal.aborted) return;
      video.srcObject = media;
      cleanups.push(() => (video.srcObject = null));
      await video.play();

      setStatus('Loading the model…');
      const info = await fetchLiveModelInfo(apiBase, token, model, abort.signal);
      let engine: LiveEngine;
      if (kind === 'page') {
        const onnx = await fetchLiveModelOnnx(apiBase, token, info, abort.signal);
        setStatus('Starting the model in this browser…');
        const stream = await createOrtWebStream(info, onnx, { wasmPaths: `${apiBase}/ort/`, threads: wasmThreads() });
        cleanups.push(() => stream.dispose());
        engine = ortWebEngine(stream, TOP_K);
      } else {
        setStatus('Connecting to the server…');
        const server = await connectServerEngine({ apiBase, token, model, width: info.width, height: info.height });
        cleanups.push(() => server.close());
        engine = server;
      }
      if (abort.signal.aborted) return;

      const onResult = (r: LiveResult) => {
        history.push(r.tClient, r.topk);
        redraw();
        setTopk(r.topk);
        setStats(r.stats);
        publish(kind, r.stats, r.topk[0]?.label ?? null);
      };
      loop = startLiveLoop({ fps: info.default_fps, engine, source: createFrameGrabber(video, info.width, info.height), onResult, onError: fail });
      setPhase('running');
      setStatus('');
    })();
    setup.catch(fail);

    running.current = {
      engine: kind,
      async stop() {
        abort.abort();
        await setup.catch(() => undefined); // a start in progress reaches its next step first
        await loop?.stop();
        for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      },
    };
    history.clear();
    redraw();
    setError(null);
    setTopk([]);
    setStats(null);
    setPhase('starting');
    publish(kind, null, null);
  }, [apiBase, token, model, engineKind, history, redraw, stop]);

  const busy = phase !== 'idle';
  return (
    <div data-testid="live-panel" className="live-panel">
      {streamModels.length === 0 && <p className="muted">Live analysis needs a stream model (such as MoViNet); none is in the model list.</p>}
      <div className="settings-grid">
        <div className="field">
          <label htmlFor="live-model">Live model</label>
          <select id="live-model" data-testid="live-model" value={model} onChange={(e) => setModel(e.target.value)} disabled={busy || streamModels.length === 0}>
            {streamModels.map((m) => (
              <option key={m.id} value={m.id}>
                {m.display_name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="live-engine">Run the model</label>
          <select id="live-engine" data-testid="live-engine" value={engineKind} onChange={(e) => setEngineKind(e.target.value as LiveEngineKind)} disabled={busy}>
            <option value="page">in this browser</option>
            <option value="server">on the server</option>
          </select>
        </div>
      </div>
      <div className="inline">
        <button type="button" className="primary" data-testid="live-start" onClick={start} disabled={busy || model === ''}>
          Start
        </button>
        <button type="button" data-testid="live-stop" onClick={() => void stop()} disabled={!busy}>
          Stop
        </button>
        <span className="status-line" role="status">
          {status}
        </span>
      </div>
      {error !== null && (
        <div className="error-box" role="alert" data-testid="live-error">
          <div className="error-body">
            <p className="error-text">{error.message}</p>
            {error.hint !== undefined && error.hint !== '' && <p className="error-hint">{error.hint}</p>}
            {error.code !== undefined && <p className="error-code">{error.code}</p>}
          </div>
        </div>
      )}
      <div className="split">
        <div>
          {/* Mirrored like a mirror for the person in front of it; the model gets the camera's own picture. */}
          <video
            ref={videoRef}
            data-testid="live-video"
            aria-label="Webcam preview"
            muted
            playsInline
            style={{ width: '100%', maxWidth: '30rem', background: '#000', transform: 'scaleX(-1)', borderRadius: 6 }}
          />
        </div>
        <div>
          <p>
            Now: <strong data-testid="live-top1">{topk[0]?.label ?? ''}</strong>
          </p>
          <ol data-testid="live-topk" className="live-topk">
            {topk.map((l) => (
              <li key={l.index}>
                {l.label} <span className="num muted">{formatScore(l.score)}</span>
              </li>
            ))}
          </ol>
          <p className="small">
            Inference: <span data-testid="live-fps" className="num">{stats ? `${stats.inferFps.toFixed(1)} fps` : '–'}</span>
            {stats ? ` (${Math.round(stats.inferMsP50)} ms a frame)` : ''}
            <br />
            Frame to label: <span data-testid="live-latency" className="num">{stats ? `${Math.round(stats.latencyMsP50)} ms` : '–'}</span>
            {stats ? ` median, ${Math.round(stats.latencyMsP95)} ms p95` : ''}
            {stats && stats.skipped > 0 ? `; ${stats.skipped} frames skipped to keep up` : ''}
          </p>
        </div>
      </div>
      <div className="chart-box" style={{ height: '16rem' }}>
        <canvas ref={canvasRef} data-testid="live-chart" role="img" aria-label={`Scores of the leading labels over the last ${TIMELINE_SEC} seconds`} />
      </div>
    </div>
  );
}
