// The results of one job: video with overlay, timeline (growing live while the job runs), the
// whole-video top-K as table and bars, the events, and the exports. Mounted once per job.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.js';
import type { RunState } from '../jobs/job-state.js';
import { formatDuration, formatTimestamp } from '../lib/format.js';
import { publishPage } from '../page-hook.js';
import { AggregateBarChart } from './AggregateBarChart.js';
import { AggregateTable } from './AggregateTable.js';
import { EventsList } from './EventsList.js';
import { ExportLinks } from './ExportLinks.js';
import { precisionSummary } from './model-precision.js';
import { TimelineChart, type TimelineChartInstance } from './TimelineChart.js';
import { TimeSource } from './time-source.js';
import { bestFirst, colorMap, seriesFromPartial, seriesFromResult, type TimelineSeries } from './timeline-data.js';
import { VideoPlayer } from './VideoPlayer.js';

export interface ResultsViewProps {
  api: ApiClient;
  run: RunState;
  /** How the partial timeline is binned and how many lines it shows (from the run's settings). */
  live: { binSec: number; lines: number; durationSec?: number };
}

export function ResultsView({ api, run, live }: ResultsViewProps) {
  const { jobId, status, result, partial } = run;
  const time = useMemo(() => new TimeSource(), []);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const hasVideo = status?.has_video ?? false;

  const series = useMemo<TimelineSeries>(
    () =>
      result !== null
        ? seriesFromResult(result)
        : seriesFromPartial(partial, { binSec: live.binSec, lines: live.lines, durationSec: live.durationSec }),
    [result, partial, live.binSec, live.lines, live.durationSec],
  );
  const colors = useMemo(() => colorMap(result?.aggregate.topk.map((s) => s.label) ?? []), [result]);
  const aggregate = useMemo(() => (result !== null ? bestFirst(result.aggregate.topk) : []), [result]);
  const media = useMemo(() => ({ width: result?.source.width ?? 0, height: result?.source.height ?? 0 }), [result]);

  // data-ready: the document is shown and every chart and the overlay has drawn it at least once.
  const drawn = useRef({ bar: false, timeline: false, overlay: false });
  const [ready, setReady] = useState(false);
  const latest = useRef({ result, series, hasVideo });
  latest.current = { result, series, hasVideo };
  const mark = useCallback((part: 'bar' | 'timeline' | 'overlay') => {
    const d = drawn.current;
    if (d[part]) return;
    d[part] = true;
    if (d.bar && d.timeline && (d.overlay || !latest.current.hasVideo)) setReady(true);
  }, []);
  const onTimelineDrawn = useCallback(
    (drawnSeries: TimelineSeries) => {
      if (latest.current.result !== null && drawnSeries === latest.current.series) mark('timeline');
    },
    [mark],
  );
  const onChart = useCallback((chart: TimelineChartInstance | null) => publishPage({ timelineChart: chart }), []);

  const seek = useCallback(
    (t: number) => {
      const duration = latest.current.result?.source.duration_s ?? 0;
      const target = duration > 0 ? Math.min(Math.max(0, t), duration) : Math.max(0, t);
      const video = videoRef.current;
      if (video !== null) video.currentTime = target;
      time.emit(target);
    },
    [time],
  );

  if (jobId === null) return null;
  const running = result === null;
  const precision = result !== null ? precisionSummary(result.model) : null;
  return (
    <section className="panel results" data-testid="results" data-ready={ready && result !== null ? 'true' : 'false'} aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      {result !== null && (
        <p className="summary">
          <strong>{result.source.name}</strong> · {formatTimestamp(result.source.duration_s)} · {result.source.width}×{result.source.height} ·{' '}
          {Math.round(result.source.fps * 100) / 100} fps — {result.model.id}
          {precision !== null && (
            <>
              ,{' '}
              <span data-testid="result-precision" title={precision.detail}>
                {precision.text}
              </span>
              ,
            </>
          )}{' '}
          on {result.environment.execution_provider} — analyzed in{' '}
          {formatDuration(result.timings.total_ms / 1000)}
          {status?.cached === true ? ' (from the result cache)' : ''}
        </p>
      )}

      {result !== null &&
        (hasVideo ? (
          <VideoPlayer
            src={api.videoUrl(jobId)}
            trackSrc={api.exportUrl(jobId, 'vtt')}
            media={media}
            timeline={result.timeline}
            colors={colors}
            time={time}
            videoRef={videoRef}
            onOverlayDrawn={() => mark('overlay')}
          />
        ) : (
          <p className="muted">The server no longer keeps this video (it is removed a while after the job ends); the charts below still show the result.</p>
        ))}

      <h3>Timeline</h3>
      <p className="muted small">
        {running
          ? 'Scores so far, as the model produces them (not yet smoothed); the final timeline replaces them when the analysis ends.'
          : `Smoothed score of the top labels per ${result.settings.window_sec} s window; a gap means the label was not in that window's top ${result.settings.topk}. Click to seek.`}
        {series.hidden > 0 ? ` ${series.hidden} more labels are in the table only.` : ''}
      </p>
      <TimelineChart
        series={series}
        time={running ? undefined : time}
        onSeek={running ? undefined : seek}
        onChart={onChart}
        onDrawn={onTimelineDrawn}
        label={running ? 'Partial timeline of the running analysis' : 'Timeline: score of each top label over time; click to seek the video'}
      />

      {result !== null && (
        <>
          <div className="split">
            <div>
              <h3>Whole video</h3>
              <AggregateTable items={aggregate} colors={colors} method={result.aggregate.method} />
            </div>
            <div>
              <h3 className="visually-hidden">Whole video, as bars</h3>
              <AggregateBarChart items={aggregate} colors={colors} onDrawn={() => mark('bar')} label="Bar chart of the whole-video top labels" />
            </div>
          </div>

          <h3>Events</h3>
          <EventsList events={result.events} colors={colors} time={time} onSeek={seek} />

          <h3>Export</h3>
          <ExportLinks api={api} jobId={jobId} sourceName={result.source.name} hasVideo={hasVideo} />
        </>
      )}
    </section>
  );
}
