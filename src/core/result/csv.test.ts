import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTimelineBuilder } from '../postprocess/timeline-builder.js';
import { csvField, timelineToCsv } from './csv.js';

/** A minimal RFC 4180 reader, only for checking the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

describe('csvField', () => {
  it('quotes only fields with a comma, quote, CR or LF, doubling inner quotes', () => {
    expect(csvField('carving ice')).toBe('carving ice');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(0.25)).toBe('0.25');
  });
});

describe('timelineToCsv', () => {
  it('writes one row per window per rank and reads back to the same values (real sthv2 labels with commas)', () => {
    const shared = path.resolve(process.cwd(), '../shared');
    const labels = readFileSync(path.join(shared, 'labels/sthv2.txt'), 'utf8').trim().split('\n');
    const withComma = labels.findIndex((l) => l.includes(','));
    expect(withComma).toBeGreaterThanOrEqual(0);
    const builder = createTimelineBuilder({
      labels,
      topk: 3,
      threshold: 0,
      window_sec: 0.5,
      smoothing: { method: 'none', sigma_sec: 1, width_sec: 1 },
      aggregate: 'mean',
      events: { enter_score: 0.5, exit_score: 0.4, min_duration_sec: 0 },
    });
    const probs = new Float32Array(labels.length).fill(0.1 / (labels.length - 2));
    probs[withComma] = 0.6;
    probs[labels.length - 1] = 0.3;
    for (let i = 0; i < 6; i++) builder.push(i * 0.25, probs);
    const { timeline } = builder.finish(1.5);

    const csv = timelineToCsv(timeline);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['t_start', 't_end', 'rank', 'label', 'index', 'score']);
    expect(rows).toHaveLength(1 + timeline.length * 3);
    const expected = timeline.flatMap((w) => w.topk.map((s, i) => [w.t_start, w.t_end, i + 1, s.label, s.index, s.score].map(String)));
    expect(rows.slice(1)).toEqual(expected);
    expect(rows[1][3]).toBe(labels[withComma]);
    expect(csv).toContain(`"${labels[withComma]}"`);
  });

  it('writes only the header for an empty timeline and skips windows without scores', () => {
    expect(timelineToCsv([])).toBe('t_start,t_end,rank,label,index,score\r\n');
    expect(timelineToCsv([{ t_start: 0, t_end: 1, topk: [] }])).toBe('t_start,t_end,rank,label,index,score\r\n');
  });
});
