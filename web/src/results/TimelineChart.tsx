// The timeline: score vs time for the top labels, with a playhead that follows the video and a
// click that seeks it. The same chart instance shows the partial timeline, then the final one.
import { useEffect, useRef } from 'react';
import type { Chart as ChartInstance, ChartConfiguration } from 'chart.js';
import { formatAxisSeconds, formatTimestamp } from '../lib/format.js';
import { Chart, scoreLineOptions } from './chart-setup.js';
import { afterDrawPlugin, playheadPlugin, setPlayhead, type Playhead } from './chart-plugins.js';
import type { TimeSource } from './time-source.js';
import type { ChartPoint, TimelineSeries } from './timeline-data.js';

export type TimelineChartInstance = ChartInstance<'line', ChartPoint[], unknown>;

export interface TimelineChartProps {
  series: TimelineSeries;
  /** Playback position to follow; none while the job runs. */
  time?: TimeSource;
  onSeek?: (t: number) => void;
  /** The chart instance once created (null when destroyed). */
  onChart?: (chart: TimelineChartInstance | null) => void;
  /** After each draw, with the series it drew. */
  onDrawn?: (series: TimelineSeries) => void;
  label: string;
}

function datasetsOf(series: TimelineSeries) {
  return series.lines.map((line) => ({
    label: line.label,
    data: line.points,
    borderColor: line.color,
    backgroundColor: line.color,
    borderWidth: 2,
    pointRadius: 0,
    pointHoverRadius: 3,
    pointHitRadius: 6,
    spanGaps: false,
    tension: 0,
  }));
}

export function TimelineChart({ series, time, onSeek, onChart, onDrawn, label }: TimelineChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<TimelineChartInstance | null>(null);
  const playhead = useRef<Playhead>({ time: null, drawnAt: null });
  // Latest props for callbacks created once with the chart.
  const latest = useRef({ series, onSeek, onDrawn, onChart });
  latest.current = { series, onSeek, onDrawn, onChart };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const config: ChartConfiguration<'line', ChartPoint[], unknown> = {
      type: 'line',
      data: { datasets: datasetsOf(latest.current.series) },
      options: {
        ...scoreLineOptions(
          { min: 0, max: latest.current.series.xMax, title: 'time (m:ss)', tick: formatAxisSeconds, maxRotation: 0 },
          (items) => (items.length > 0 ? formatTimestamp(items[0]!.parsed.x ?? 0) : ''),
        ),
        onClick: (event, _elements, chart) => {
          const seek = latest.current.onSeek;
          if (seek === undefined || event.x === null || event.y === null) return;
          const area = chart.chartArea;
          if (event.x < area.left || event.x > area.right || event.y < area.top || event.y > area.bottom) return;
          const t = chart.scales.x.getValueForPixel(event.x);
          if (t !== undefined && Number.isFinite(t)) seek(Math.max(0, t));
        },
        onHover: (event, _elements, chart) => {
          const area = chart.chartArea;
          const over = latest.current.onSeek !== undefined && event.x !== null && event.y !== null && event.x >= area.left && event.x <= area.right && event.y >= area.top && event.y <= area.bottom;
          chart.canvas.style.cursor = over ? 'pointer' : '';
        },
      },
      plugins: [
        playheadPlugin(playhead.current),
        afterDrawPlugin<'line'>(() => latest.current.onDrawn?.(latest.current.series)),
      ],
    };
    const chart = new Chart(canvas, config);
    chartRef.current = chart;
    latest.current.onChart?.(chart);
    return () => {
      chart.destroy();
      chartRef.current = null;
      latest.current.onChart?.(null);
    };
  }, []);

  // New data (partial points arriving, then the result): same chart, new lines.
  useEffect(() => {
    const chart = chartRef.current;
    if (chart === null) return;
    chart.data.datasets = datasetsOf(series);
    const x = chart.options.scales?.x;
    if (x !== undefined) x.max = series.xMax;
    chart.update('none');
  }, [series]);

  useEffect(() => {
    if (time === undefined) return;
    return time.subscribe((t) => {
      const chart = chartRef.current;
      if (chart !== null) setPlayhead(chart, playhead.current, t);
    });
  }, [time]);

  return (
    <div className="chart-box chart-box--timeline">
      <canvas ref={canvasRef} data-testid="timeline-chart" role="img" aria-label={label} />
    </div>
  );
}
