import type { ResultTimelineWindow } from './schema.js';

export const TIMELINE_CSV_HEADER = ['t_start', 't_end', 'rank', 'label', 'index', 'score'] as const;

/**
 * The timeline as CSV (RFC 4180): one row per window per rank (rank 1 = best), CRLF line ends,
 * a field quoted when it holds a comma, a double quote, CR or LF (inner quotes doubled).
 * Windows with an empty top-K produce no row.
 */
export function timelineToCsv(timeline: readonly ResultTimelineWindow[]): string {
  const rows: string[] = [TIMELINE_CSV_HEADER.join(',')];
  for (const window of timeline) {
    window.topk.forEach((s, i) => {
      rows.push([window.t_start, window.t_end, i + 1, s.label, s.index, s.score].map(csvField).join(','));
    });
  }
  return `${rows.join('\r\n')}\r\n`;
}

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
