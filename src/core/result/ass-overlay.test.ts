import { describe, expect, it } from 'vitest';
import { assOverlayLayout, escapeAssText, formatAssTime, OVERLAY_FONT, resultToAssOverlay, truncateLabel } from './ass-overlay.js';
import { makeResultDocument } from '../../../tests/helpers/result-document.js';
import type { ResultDocument, ResultTimelineWindow } from './schema.js';
import { resultToWebVtt } from './webvtt.js';

const makeDocument = (timeline: ResultTimelineWindow[], durationSec: number): ResultDocument => makeResultDocument(timeline, durationSec, { width: 640, height: 360 });

const s = (label: string, index: number, score: number) => ({ label, index, score });
const win = (t: number, topk: ReturnType<typeof s>[], len = 1): ResultTimelineWindow => ({ t_start: t, t_end: t + len, topk });

interface Dialogue {
  layer: number;
  start: string;
  end: string;
  style: string;
  text: string;
}

/** Splits a script into sections and checks that every line is one libass understands. */
function parseAss(script: string) {
  expect(script.endsWith('\n')).toBe(true);
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of script.slice(0, -1).split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1], current);
    } else if (line !== '' && !line.startsWith(';')) {
      expect(current, `line before any section: ${line}`).toBeDefined();
      expect(line).toMatch(/^[A-Za-z][A-Za-z0-9 ]*: /);
      current!.push(line);
    }
  }
  expect([...sections.keys()]).toEqual(['Script Info', 'V4+ Styles', 'Events']);
  const info = Object.fromEntries(sections.get('Script Info')!.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
  const styleFormat = sections.get('V4+ Styles')![0].slice('Format: '.length).split(', ');
  const styles = sections.get('V4+ Styles')!.slice(1).map((l) => {
    const values = l.slice('Style: '.length).split(',');
    expect(values).toHaveLength(styleFormat.length);
    return Object.fromEntries(styleFormat.map((k, i) => [k, values[i]]));
  });
  const events = sections.get('Events')!;
  expect(events[0]).toBe('Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text');
  const dialogues: Dialogue[] = events.slice(1).map((l) => {
    expect(l.startsWith('Dialogue: ')).toBe(true);
    const fields = l.slice('Dialogue: '.length).split(',');
    const text = fields.slice(9).join(','); // Text is last and may hold commas
    expect(fields[1]).toMatch(/^\d+:[0-5]\d:[0-5]\d\.\d\d$/);
    expect(fields[2]).toMatch(/^\d+:[0-5]\d:[0-5]\d\.\d\d$/);
    return { layer: Number(fields[0]), start: fields[1], end: fields[2], style: fields[3], text };
  });
  return { info, styles, dialogues };
}

/** The rectangles drawn (`{...\pos(x,y)...\p1}m 0 0 l w 0 l w h l 0 h`), with their colour. */
function rectangles(dialogues: Dialogue[]) {
  return dialogues.flatMap((d) => {
    const m = /^\{\\an7\\pos\(([\d.]+),([\d.]+)\)\\bord0\\shad0\\1c(&H[0-9A-F]{6}&)\\1a(&H[0-9A-F]{2}&)\\p1\}m 0 0 l (\d+) 0 l \5 (\d+) l 0 \6\{\\p0\}$/.exec(d.text);
    return m ? [{ layer: d.layer, start: d.start, x: Number(m[1]), y: Number(m[2]), colour: m[3], w: Number(m[5]), h: Number(m[6]) }] : [];
  });
}

const texts = (dialogues: Dialogue[]) =>
  dialogues.flatMap((d) => {
    const m = /^\{\\an([46])\\pos\(([\d.]+),([\d.]+)\)\}(.*)$/.exec(d.text);
    return m ? [{ align: Number(m[1]), x: Number(m[2]), y: Number(m[3]), text: m[4], start: d.start }] : [];
  });

describe('assOverlayLayout', () => {
  it('scales the font with the video, legible at 240p, not overwhelming at 1080p', () => {
    const small = assOverlayLayout(426, 240);
    const large = assOverlayLayout(1920, 1080);
    const portrait = assOverlayLayout(1080, 1920);
    expect(small.fontSize).toBeGreaterThanOrEqual(13);
    expect(small.fontSize / 240).toBeLessThan(0.08);
    expect(large.fontSize).toBeGreaterThanOrEqual(30);
    expect(large.fontSize / 1080).toBeLessThan(0.045);
    expect(portrait.fontSize).toBe(large.fontSize); // the shorter side decides
    expect(large.maxLabelChars).toBeGreaterThan(small.maxLabelChars);
  });
});

describe('resultToAssOverlay', () => {
  const timeline = [
    win(0, [s('arm wrestling', 6, 0.9), s('punching bag', 258, 0.06), s('shaking hands', 286, 0.02)]),
    win(1, [s('arm wrestling', 6, 0.8), s('punching bag', 258, 0.1), s('shaking hands', 286, 0.04)]),
    win(2, [s('shaking hands', 286, 0.5), s('hugging', 160, 0.25)]),
    win(3, []),
  ];

  it('sets PlayRes to the video size and one style in DejaVu Sans sized by the layout', () => {
    const { info, styles, dialogues } = parseAss(resultToAssOverlay(makeDocument(timeline, 4), { width: 640, height: 360 }));
    expect(info.PlayResX).toBe('640');
    expect(info.PlayResY).toBe('360');
    expect(info.ScriptType).toBe('v4.00+');
    expect(styles).toHaveLength(1);
    expect(styles[0].Fontname).toBe(OVERLAY_FONT);
    expect(Number(styles[0].Fontsize)).toBe(assOverlayLayout(640, 360).fontSize);
    expect(new Set(dialogues.map((d) => d.style))).toEqual(new Set([styles[0].Name]));
  });

  it('draws, per run of windows, a dark panel, a track and a bar per label proportional to its score, the percentage and the label', () => {
    const doc = makeDocument(timeline, 4);
    const layout = assOverlayLayout(640, 360);
    const { dialogues } = parseAss(resultToAssOverlay(doc, { width: 640, height: 360 }));
    // Same runs as the WebVTT cues: [0, 2) and [2, 3); the empty window shows nothing.
    const starts = [...new Set(dialogues.map((d) => `${d.start}-${d.end}`))];
    expect(starts).toEqual(['0:00:00.00-0:00:02.00', '0:00:02.00-0:00:03.00']);
    expect(resultToWebVtt(doc).match(/-->/g)).toHaveLength(2);

    const rects = rectangles(dialogues);
    const panels = rects.filter((r) => r.layer === 0);
    expect(panels.map((p) => [p.start, p.x, p.y, p.colour])).toEqual([
      ['0:00:00.00', layout.margin, layout.margin, '&H000000&'],
      ['0:00:02.00', layout.margin, layout.margin, '&H000000&'],
    ]);
    expect(panels[0].h).toBe(2 * layout.pad + 3 * layout.rowHeight);
    expect(panels[1].h).toBe(2 * layout.pad + 2 * layout.rowHeight);
    expect(panels[0].w).toBe(panels[1].w); // one width for the whole video
    expect(layout.margin + panels[0].w).toBeLessThanOrEqual(640 - layout.margin);

    const tracks = rects.filter((r) => r.layer === 1 && r.start === '0:00:00.00');
    const bars = rects.filter((r) => r.layer === 2 && r.start === '0:00:00.00');
    expect(tracks.map((t) => t.w)).toEqual([layout.barWidth, layout.barWidth, layout.barWidth]);
    // Mean scores over the run: 0.85, 0.08, 0.03.
    expect(bars.map((b) => b.w)).toEqual([0.85, 0.08, 0.03].map((v) => Math.round(layout.barWidth * v)));
    expect(bars.every((b, i) => b.x === layout.barX && b.y === tracks[i].y && b.h === layout.barHeight)).toBe(true);
    expect(tracks[1].y - tracks[0].y).toBe(layout.rowHeight);

    const shown = texts(dialogues).filter((t) => t.start === '0:00:00.00');
    expect(shown.filter((t) => t.align === 6).map((t) => [t.x, t.text])).toEqual([
      [layout.percentRight, '85%'],
      [layout.percentRight, '8%'],
      [layout.percentRight, '3%'],
    ]);
    expect(shown.filter((t) => t.align === 4).map((t) => [t.x, t.text])).toEqual([
      [layout.labelX, 'arm wrestling'],
      [layout.labelX, 'punching bag'],
      [layout.labelX, 'shaking hands'],
    ]);
    // Bars and text of a row share its centre line.
    expect(shown[0].y).toBeCloseTo(tracks[0].y + layout.barHeight / 2, 5);
  });

  it('shows opts.topk labels, never more than a window has', () => {
    const doc = makeDocument(timeline, 4);
    const one = parseAss(resultToAssOverlay(doc, { width: 640, height: 360, topk: 1 })).dialogues;
    expect(texts(one).filter((t) => t.align === 4).map((t) => t.text)).toEqual(['arm wrestling', 'shaking hands']);
    const five = parseAss(resultToAssOverlay(doc, { width: 640, height: 360, topk: 5 })).dialogues;
    expect(texts(five).filter((t) => t.align === 4)).toHaveLength(5);
  });

  it('escapes braces, backslash codes and line breaks in labels', () => {
    expect(escapeAssText('{\\b1}bold')).toBe('\\{\\b1\\}bold');
    expect(escapeAssText('a\\Nb\\nc\\hd\\e')).toBe('a\\\u2060Nb\\\u2060nc\\\u2060hd\\e');
    expect(escapeAssText('one\r\ntwo\nthree')).toBe('one two three');
    const doc = makeDocument([win(0, [s('{\\an5}x\\N\ny', 1, 0.5)])], 1);
    const script = resultToAssOverlay(doc, { width: 640, height: 360 });
    parseAss(script); // a raw line break would have produced a line libass rejects
    const label = texts(parseAss(script).dialogues).find((t) => t.align === 4)!;
    expect(label.text).toBe('\\{\\an5\\}x\\\u2060N y');
    // Outside the leading override block, every brace is escaped.
    expect(label.text.replace(/\\[{}]/g, '')).not.toMatch(/[{}]/);
  });

  it('shortens labels that would run out of a small frame and keeps the panel inside it', () => {
    const long = 'passing American football (not in game) and then some more words';
    const doc = makeDocument([win(0, [s(long, 1, 0.5)])], 1);
    const layout = assOverlayLayout(320, 240);
    const { dialogues } = parseAss(resultToAssOverlay(doc, { width: 320, height: 240 }));
    const label = texts(dialogues).find((t) => t.align === 4)!.text;
    expect(label.endsWith('…')).toBe(true);
    expect(Array.from(label)).toHaveLength(layout.maxLabelChars);
    expect(long.startsWith(label.slice(0, -1))).toBe(true);
    const panel = rectangles(dialogues).find((r) => r.layer === 0)!;
    expect(panel.x + panel.w).toBeLessThanOrEqual(320);
    expect(truncateLabel('short', 10)).toBe('short');
    expect(truncateLabel('🤼🤼🤼🤼', 3)).toBe('🤼🤼…'); // counts characters, not UTF-16 units
  });

  it('writes H:MM:SS.cc times, clipped to the duration, and no events for an empty timeline', () => {
    expect(formatAssTime(0)).toBe('0:00:00.00');
    expect(formatAssTime(3723.456)).toBe('1:02:03.46');
    expect(formatAssTime(36_000)).toBe('10:00:00.00');
    const doc = makeDocument([win(3600, [s('yoga', 1, 0.4)], 2), win(3602, [s('yoga', 1, 0.4)], 2)], 3603.5);
    const { dialogues } = parseAss(resultToAssOverlay(doc, { width: 640, height: 360 }));
    expect(new Set(dialogues.map((d) => `${d.start}-${d.end}`))).toEqual(new Set(['1:00:00.00-1:00:03.50']));
    expect(parseAss(resultToAssOverlay(makeDocument([], 0), { width: 640, height: 360 })).dialogues).toEqual([]);
  });

  it('refuses a frame size that is not positive', () => {
    expect(() => resultToAssOverlay(makeDocument([], 1), { width: 0, height: 360 })).toThrow(RangeError);
  });
});
