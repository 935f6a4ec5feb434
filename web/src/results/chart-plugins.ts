// Small chart.js plugins, created per chart (inline plugins: no global registration, no shared state).
import type { Chart, ChartType, Plugin } from 'chart.js';

export interface Playhead {
  /** Seconds, or null for no line. */
  time: number | null;
  /** Pixel x where the line was last drawn, to skip redraws that would not move it. */
  drawnAt: number | null;
}

/** A vertical line across the chart area at `state.time` on the x scale. */
export function playheadPlugin(state: Playhead, color = '#d62728'): Plugin<'line'> {
  return {
    id: 'actionlensPlayhead',
    afterDatasetsDraw(chart) {
      state.drawnAt = null;
      if (state.time === null) return;
      const x = chart.scales.x?.getPixelForValue(state.time);
      const area = chart.chartArea;
      if (x === undefined || !Number.isFinite(x) || x < area.left - 0.5 || x > area.right + 0.5) return;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.restore();
      state.drawnAt = x;
    },
  };
}

/** Moves the playhead; redraws only when the line would move by at least half a pixel. */
export function setPlayhead(chart: Pick<Chart, 'scales' | 'draw'>, state: Playhead, time: number | null): void {
  state.time = time;
  const x = time === null ? null : chart.scales.x?.getPixelForValue(time);
  if (x === undefined) return;
  if (x === null ? state.drawnAt === null : state.drawnAt !== null && Math.abs(x - state.drawnAt) < 0.5) return;
  chart.draw();
}

/** Calls `onDraw` after every draw (the page reports "drawn at least once" for its tests). */
export function afterDrawPlugin<T extends ChartType>(onDraw: (chart: Chart<T>) => void): Plugin<T> {
  return {
    id: 'actionlensAfterDraw',
    afterDraw(chart) {
      onDraw(chart as Chart<T>);
    },
  };
}
