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
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, CategoryScale, Tooltip, Legend);

export { Chart };
