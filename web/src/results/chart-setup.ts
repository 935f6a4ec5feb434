// chart.js with only the parts the page draws (tree-shaken build): a line chart and a horizontal
// bar chart on linear/category axes, with tooltips and a legend.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
  type TooltipItem,
} from 'chart.js';
import { formatScore } from '../lib/format.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, CategoryScale, Tooltip, Legend);

export { Chart };

/** A chart's time axis (linear): its range, title and tick labels. */
export interface TimeAxis {
  min: number;
  /** undefined: from the data. */
  max: number | undefined;
  title: string;
  tick: (seconds: number) => string;
  maxRotation?: number;
}

/**
 * The options both score-over-time line charts share (the results timeline and the live panel):
 * no animation, {x, y} points, the nearest point in x, a 0..1 score axis, legend below, tooltips
 * with the formatted score. `x` is each chart's own time axis.
 */
export function scoreLineOptions(x: TimeAxis, tooltipTitle?: (items: TooltipItem<'line'>[]) => string): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: { xAxisKey: 'x', yAxisKey: 'y' },
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: {
      x: {
        type: 'linear',
        min: x.min,
        ...(x.max !== undefined ? { max: x.max } : {}),
        title: { display: true, text: x.title },
        ticks: { callback: (v) => x.tick(Number(v)), ...(x.maxRotation !== undefined ? { maxRotation: x.maxRotation } : {}) },
      },
      y: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'score' }, ticks: { callback: (v) => Number(v).toFixed(1) } },
    },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
      tooltip: {
        callbacks: {
          ...(tooltipTitle ? { title: tooltipTitle } : {}),
          label: (item) => `${item.dataset.label ?? ''}: ${formatScore(item.parsed.y ?? Number.NaN)}`,
        },
      },
    },
  };
}
