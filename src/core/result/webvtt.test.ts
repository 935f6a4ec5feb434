import { describe, expect, it } from 'vitest';
import { createTimelineBuilder } from '../postprocess/timeline-builder.js';
import { DEFAULT_CONFIG } from '../settings/defaults.js';
import { makeResultDocument } from '../../../tests/helpers/result-document.js';
import type { ResultDocument, ResultTimelineWindow } from './schema.js';
import { escapeVttText, formatVttTime, resultToWebVtt, timelineLabelRuns } from './webvtt.js';

const makeDocument = (timeline: ResultTimelineWindow[], durationSec: number): ResultDocument => makeResultDocument(timeline, durationSec);

const s = (label: string, index: number, score: number) => ({ label, index, score });
const win = (t: number, topk: ReturnType<typeof s>[], len = 1): ResultTimelineWindow => ({ t_start: t, t_end: t + len, topk });

interface Cue {
  start: string;
  end: string;
  lines: string[];
}

/** Reads a WebVTT file the way the spec's parser does, failing on anything malformed. */
function parseVtt(text: string): { notes: string[][]; cues: Cue[] } {
  expect(text.endsWith('\n')).toBe(true);
  const blocks = text.slice(0, -1).split('\n\n');
  expect(blocks[0]).toBe('WEBVTT');
  const notes: string[][] = [];
  const cues: Cue[] = [];
  const time = /^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$/;
  for (const block of blocks.slice(1)) {
    const lines = block.split('\n');
    expect(lines.every((l) => l.length > 0)).toBe(true); // a blank line would have split the block
    if (lines[0] === 'NOTE' || lines[0].startsWith('NOTE ')) {
      expect(block).not.toContain('-->');
      notes.push(lines.slice(1));
      continue;
    }
    const timing = /^(\S+) --> (\S+)$/.exec(lines[0]);
    expect(timing, `cue timing line: ${lines[0]}`).not.toBeNull();
    expect(timing![1]).toMatch(time);
    expect(timing![2]).toMatch(time);
    const text = lines.slice(1);
    expect(text.length).toBeGreaterThan(0);
    for (const line of text) {
      expect(line).not.toContain('-->');
      expect(line).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
    }
    cues.push({ start: timing![1], end: timing![2], lines: text });
  }
  return { notes, cues };
}

const seconds = (t: string) => {
  const [h, m, rest] = t.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(rest);
};

describe('resultToWebVtt', () => {
  it('writes the header, a NOTE with the model and settings, and one cue per window run', () => {
    const doc = makeDocument(
      [
        win(0, [s('arm wrestling', 6, 0.9), s('punching bag', 258, 0.05), s('shaking hands', 286, 0.02), s('hugging', 160, 0.01)]),
        win(1, [s('arm wrestling', 6, 0.8), s('punching bag', 258, 0.11), s('shaking hands', 286, 0.06)]),
        win(2, [s('shaking hands', 286, 0.6), s('hugging', 160, 0.3)]),
      ],
      3,
    );
    const vtt = resultToWebVtt(doc);
    const { notes, cues } = parseVtt(vtt);
    expect(notes).toHaveLength(1);
    expect(notes[0].join('\n')).toContain('model: movinet-a0-stream-k600');
    expect(notes[0].join('\n')).toContain(`settings: ${JSON.stringify(doc.settings)}`);
    expect(cues).toEqual([
      // the means of 0.9/0.8, 0.05/0.11, 0.02/0.06; the 4th label of window 0 is not shown
      { start: '00:00:00.000', end: '00:00:02.000', lines: ['arm wrestling 85%', 'punching bag 8%', 'shaking hands 4%'] },
      // a window with two labels shows two
      { start: '00:00:02.000', end: '00:00:03.000', lines: ['shaking hands 60%', 'hugging 30%'] },
    ]);
  });

  it('merges a steady label into one cue, and splits at rank changes, empty windows and gaps', () => {
    const a = s('carving ice', 50, 0.7);
    const b = s('ice skating', 170, 0.2);
    const timeline = [
      ...Array.from({ length: 300 }, (_, i) => win(i * 0.5, [a, b], 0.5)), // 0 .. 150 s, same labels
      win(150, [b, a], 0.5), // ranks swap: new cue
      win(150.5, [], 0.5), // nothing scored: no cue, and the run ends
      win(151, [b, a], 0.5), // same labels as before the empty window, still a new cue
      win(152, [b, a], 0.5), // a gap in time (151.5 .. 152): another cue
    ];
    const { cues } = parseVtt(resultToWebVtt(makeDocument(timeline, 152.5)));
    expect(cues.map((c) => [c.start, c.end])).toEqual([
      ['00:00:00.000', '00:02:30.000'],
      ['00:02:30.000', '00:02:30.500'],
      ['00:02:31.000', '00:02:31.500'],
      ['00:02:32.000', '00:02:32.500'],
    ]);
    expect(cues[0].lines).toEqual(['carving ice 70%', 'ice skating 20%']);
    expect(cues[1].lines).toEqual(['ice skating 20%', 'carving ice 70%']);
  });

  it('shows opts.topk labels and merges windows that differ only below them', () => {
    const timeline = [
      win(0, [s('a', 0, 0.5), s('b', 1, 0.3), s('c', 2, 0.2)]),
      win(1, [s('a', 0, 0.7), s('c', 2, 0.2), s('b', 1, 0.1)]),
    ];
    const doc = makeDocument(timeline, 2);
    expect(parseVtt(resultToWebVtt(doc, { topk: 1 })).cues).toEqual([{ start: '00:00:00.000', end: '00:00:02.000', lines: ['a 60%'] }]);
    expect(parseVtt(resultToWebVtt(doc, { topk: 2 })).cues).toHaveLength(2);
    expect(parseVtt(resultToWebVtt(doc, { topk: 10 })).cues.map((c) => c.lines.length)).toEqual([3, 3]);
  });

  it('escapes &, < and > and keeps a label with a line break or "-->" on one line', () => {
    const doc = makeDocument([win(0, [s('<b>rock & roll</b>', 1, 0.5), s('up\r\nand --> away', 2, 0.25)])], 1);
    const { cues } = parseVtt(resultToWebVtt(doc));
    expect(cues[0].lines).toEqual(['&lt;b&gt;rock &amp; roll&lt;/b&gt; 50%', 'up and --&gt; away 25%']);
    expect(escapeVttText('a&lt;')).toBe('a&amp;lt;');
  });

  it('writes hours past 1 and past 99, and clips the last cue to the video duration', () => {
    expect(formatVttTime(0)).toBe('00:00:00.000');
    expect(formatVttTime(3723.4564)).toBe('01:02:03.456');
    expect(formatVttTime(59.9996)).toBe('00:01:00.000');
    expect(formatVttTime(360_000.25)).toBe('100:00:00.250');
    const doc = makeDocument(
      [win(3598, [s('yoga', 1, 0.4)], 2), win(3600, [s('yoga', 1, 0.6)], 2), win(3602, [s('tai chi', 2, 0.9)], 2), win(3604, [s('tai chi', 2, 0.9)], 2)],
      3603.25,
    );
    const { cues } = parseVtt(resultToWebVtt(doc));
    expect(cues).toEqual([
      { start: '00:59:58.000', end: '01:00:02.000', lines: ['yoga 50%'] },
      { start: '01:00:02.000', end: '01:00:03.250', lines: ['tai chi 90%'] }, // the window past the end is dropped
    ]);
  });

  it('gives a valid file with only the header for an empty timeline or one with no scores', () => {
    for (const timeline of [[], [win(0, []), win(1, [])]]) {
      const vtt = resultToWebVtt(makeDocument(timeline, 2));
      const { cues, notes } = parseVtt(vtt);
      expect(cues).toEqual([]);
      expect(notes).toHaveLength(1);
      expect(vtt.startsWith('WEBVTT\n\nNOTE\n')).toBe(true);
    }
  });

  it('keeps "-->" and line breaks out of the NOTE', () => {
    const doc = makeDocument([], 1);
    doc.source.name = 'a\n\nb --> c.mp4';
    const { notes } = parseVtt(resultToWebVtt(doc));
    expect(notes[0][0]).toContain('a b -');
  });

  it('covers a real timeline with ordered, non-overlapping cues whose top label is every covered window\'s top label', () => {
    const labels = ['walk', 'run', 'jump', 'sit'];
    const settings = structuredClone(DEFAULT_CONFIG.analysis);
    const builder = createTimelineBuilder({ labels, ...settings, window_sec: 0.5 });
    for (let i = 0; i < 120; i++) {
      const t = i / 10;
      builder.push(t, t < 4 ? Float32Array.of(0.7, 0.2, 0.05, 0.05) : t < 8 ? Float32Array.of(0.1, 0.1, 0.75, 0.05) : Float32Array.of(0.05, 0.6, 0.3, 0.05));
    }
    const { timeline } = builder.finish(12);
    const doc = makeDocument(timeline, 12);
    const { cues } = parseVtt(resultToWebVtt(doc, { topk: 1 }));
    expect(cues.length).toBeGreaterThanOrEqual(3);
    expect(cues.length).toBeLessThan(timeline.length / 3);
    let previousEnd = 0;
    for (const cue of cues) {
      const start = seconds(cue.start);
      const end = seconds(cue.end);
      expect(start).toBeGreaterThanOrEqual(previousEnd);
      expect(end).toBeGreaterThan(start);
      previousEnd = end;
      const covered = timeline.filter((w) => w.t_start >= start - 1e-9 && w.t_end <= end + 1e-9);
      expect(covered.length).toBeGreaterThan(0);
      for (const w of covered) expect(cue.lines[0].startsWith(`${w.topk[0].label} `)).toBe(true);
    }
    expect(previousEnd).toBe(12);
    // The runs behind the cues weight each window by its length.
    const runs = timelineLabelRuns(
      [win(0, [s('x', 0, 0.2)], 1), win(1, [s('x', 0, 0.8)], 3)],
      { topk: 3, durationSec: 0 },
    );
    expect(runs).toEqual([{ start: 0, end: 4, labels: [{ label: 'x', index: 0, score: expect.closeTo(0.65, 9) }] }]);
  });
});
