// The whole-video top-K as horizontal bars, in the labels' timeline colours.
import { useEffect, useRef } from 'react';
import type { ResultScoredLabel } from '../../../src/core/result/schema.js';
import { formatScore } from '../lib/format.js';
import { Chart } from './chart-setup.js';
import { afterDrawPlugin } from './chart-plugins.js';
import { OTHER_COLOR } from './timeline-data.js';

export interface AggregateBarChartProps {
  items: readonly ResultScoredLabel[];
  colors: ReadonlyMap<string, string>;
  onDrawn?: () => void;
  label: string;
}

const BAR_PX = 26;

export function AggregateBarChart({ items, colors, onDrawn, label }: AggregateBarChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const onDrawnRef = useRef(onDrawn);
  onDrawnRef.current = onDrawn;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const chart = new Chart<'bar', number[], string>(canvas, {
      type: 'bar',
      data: {
        labels: items.map((s) => s.label),
        datasets: [
          {
            label: 'score',
            data: items.map((s) => s.score),
            backgroundColor: items.map((s) => colors.get(s.label) ?? OTHER_COLOR),
            borderWidth: 0,
            barPercentage: 0.8,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', min: 0, max: 1, ticks: { callback: (v) => Number(v).toFixed(1) } },
          y: { type: 'category', ticks: { autoSkip: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => formatScore(item.parsed.x ?? 0) } },
        },
      },
      plugins: [afterDrawPlugin<'bar'>(() => onDrawnRef.current?.())],
    });
    return () => chart.destroy();
  }, [items, colors]);

  return (
    <div className="chart-box" style={{ height: `${Math.max(2, items.length) * BAR_PX + 40}px` }}>
      <canvas ref={canvasRef} data-testid="bar-chart" role="img" aria-label={label} />
    </div>
  );
}
