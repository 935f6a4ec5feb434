// The whole-video top-K as a table, best first.
import type { ResultScoredLabel } from '../../../src/core/result/schema.js';
import { formatScore } from '../lib/format.js';
import { OTHER_COLOR } from './timeline-data.js';

export interface AggregateTableProps {
  items: readonly ResultScoredLabel[];
  colors: ReadonlyMap<string, string>;
  method: string;
}

export function AggregateTable({ items, colors, method }: AggregateTableProps) {
  return (
    <table className="data-table" data-testid="result-table">
      <caption>Whole video ({method} over the timeline), best first</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Label</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col" className="num">
            Class
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((s, i) => (
          <tr key={`${s.index}-${s.label}`} data-testid="result-row">
            <td className="num">{i + 1}</td>
            <td data-testid="result-label">
              <span className="swatch" style={{ background: colors.get(s.label) ?? OTHER_COLOR }} aria-hidden="true" />
              {s.label}
            </td>
            <td className="num" data-testid="result-score" data-score={s.score}>
              {formatScore(s.score)}
            </td>
            <td className="num muted">{s.index}</td>
          </tr>
        ))}
        {items.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">
              No label scored above the threshold.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
