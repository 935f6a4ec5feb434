// The aggregate top-K as a plain text table (what a person reads first).
import type { ResultDocument } from '../core/result/index.js';

export function formatAggregateTable(doc: ResultDocument): string {
  const rows = doc.aggregate.topk.map((s, i) => [String(i + 1), s.label, (s.score * 100).toFixed(2) + '%', bar(s.score)]);
  const head = ['#', 'label', 'score', ''];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => (c === 2 ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join('  ').trimEnd();
  const title = `${doc.source.name}  (${doc.source.duration_s.toFixed(1)} s, ${doc.model.id}, ${doc.aggregate.method} of ${doc.timeline.length} windows)`;
  const events = doc.events.length
    ? '\n  events: ' + doc.events.map((e) => `${e.label} ${e.start.toFixed(1)}-${e.end.toFixed(1)}s`).join(', ')
    : '';
  return [title, line(head), ...rows.map(line)].join('\n') + events + '\n';
}

function bar(score: number): string {
  return '█'.repeat(Math.round(score * 20));
}
