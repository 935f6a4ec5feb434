import type { ResultDocument } from './schema.js';
import { DEFAULT_SHOWN_TOPK, formatPercent, timelineLabelRuns } from './webvtt.js';

// An ASS (Advanced SubStation Alpha) script that libass burns into the video (ffmpeg's `ass`
// filter): a dark semi-transparent panel in the top-left corner with, per label, a score bar, the
// percentage and the label. PlayRes equals the video size, so one script unit is one pixel.

export interface AssOverlayOptions {
  /** Frame size the script is rendered on (after rotation, as probe reports it). */
  width: number;
  height: number;
  /** Labels shown (default 3; never more than a window has). */
  topk?: number;
}

/** Pixel geometry of the panel, exported so tests and callers can find it in a frame. */
export interface AssOverlayLayout {
  fontSize: number;
  /** Panel's top-left corner (both coordinates = margin). */
  margin: number;
  /** Space between the panel's edge and its content. */
  pad: number;
  rowHeight: number;
  /** Left edge and width of the score bars; a bar of score s is round(barWidth * s) wide. */
  barX: number;
  barWidth: number;
  barHeight: number;
  /** Right edge of the right-aligned percentages. */
  percentRight: number;
  /** Left edge of the labels. */
  labelX: number;
  /** Longest label (in characters) that fits; longer ones end in "…". */
  maxLabelChars: number;
  /** Width used per label character when sizing the panel (a slight over-estimate for DejaVu Sans). */
  charWidth: number;
}

export const OVERLAY_FONT = 'DejaVu Sans';
// ASS colours are &HAABBGGRR (alpha 00 = opaque, FF = transparent).
const TEXT_COLOUR = '&H00FFFFFF';
const OUTLINE_COLOUR = '&H40000000';
const PANEL = { colour: '&H000000&', alpha: '&H50&' };
const TRACK = { colour: '&H707070&', alpha: '&H60&' };
const FILL = { colour: '&H3CBEFF&', alpha: '&H00&' }; // amber, RGB(255, 190, 60)

/**
 * The font grows with the shorter side of the frame, but slower than it: ~15 px at 240p (6 % of
 * the height, still legible) and ~38 px at 1080p (3.5 %, leaving the picture visible).
 */
export function assOverlayLayout(width: number, height: number): AssOverlayLayout {
  const base = Math.min(width, height);
  const fontSize = Math.max(10, Math.round(8 + 0.028 * base));
  const margin = Math.round(fontSize * 0.5);
  const pad = Math.round(fontSize * 0.45);
  const gap = Math.round(fontSize * 0.45);
  const barWidth = Math.round(fontSize * 3.5);
  const barHeight = Math.round(fontSize * 0.6);
  const rowHeight = Math.round(fontSize * 1.35);
  const percentWidth = Math.ceil(fontSize * 2.9); // "100%" in DejaVu Sans is ~2.86 em
  const charWidth = fontSize * 0.55;
  const barX = margin + pad;
  const percentRight = barX + barWidth + gap + percentWidth;
  const labelX = percentRight + gap;
  const room = width - margin - pad - labelX;
  return {
    fontSize,
    margin,
    pad,
    rowHeight,
    barX,
    barWidth,
    barHeight,
    percentRight,
    labelX,
    maxLabelChars: Math.max(4, Math.floor(room / charWidth)),
    charWidth,
  };
}

/** ASS time H:MM:SS.cc (centiseconds). */
export function formatAssTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360_000);
  const m = Math.floor(cs / 6000) % 60;
  const s = Math.floor(cs / 100) % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${h}:${pad(m)}:${pad(s)}.${pad(cs % 100)}`;
}

/**
 * Plain text for a Dialogue line: braces open override blocks (libass reads \{ and \} as literal
 * braces); \N, \n and \h are line-break and space codes, so a backslash before those letters gets
 * an invisible word joiner after it; a line break would split the event line.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\(?=[Nnh])/g, '\\\u2060')
    .replace(/[{}]/g, (brace) => `\\${brace}`);
}

/** Shortens to `max` characters (code points), ending in "…" when cut. */
export function truncateLabel(label: string, max: number): string {
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** For the header comment: one line, no control characters. */
function headerText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

const px = (n: number) => String(Math.round(n * 10) / 10);

/** A filled rectangle with its top-left corner at (x, y). */
function rectangle(x: number, y: number, w: number, h: number, paint: { colour: string; alpha: string }): string {
  return `{\\an7\\pos(${px(x)},${px(y)})\\bord0\\shad0\\1c${paint.colour}\\1a${paint.alpha}\\p1}m 0 0 l ${w} 0 l ${w} ${h} l 0 ${h}{\\p0}`;
}

/** The overlay script for libass; times are clipped to the video's duration like the WebVTT cues. */
export function resultToAssOverlay(doc: ResultDocument, opts: AssOverlayOptions): string {
  const width = Math.floor(opts.width);
  const height = Math.floor(opts.height);
  if (!(width > 0 && height > 0)) throw new RangeError(`resultToAssOverlay: width and height must be positive, got ${opts.width}x${opts.height}`);
  const layout = assOverlayLayout(width, height);
  const runs = timelineLabelRuns(doc.timeline, { topk: opts.topk ?? DEFAULT_SHOWN_TOPK, durationSec: doc.source.duration_s });

  const shownLabel = (label: string) => truncateLabel(label.replace(/[\r\n]+/g, ' '), layout.maxLabelChars);
  // One panel width for the whole video, so the panel does not jump between cues.
  const longest = Math.max(0, ...runs.flatMap((r) => r.labels.map((s) => Array.from(shownLabel(s.label)).length)));
  const panelWidth = Math.round(layout.labelX - layout.margin + longest * layout.charWidth + layout.pad);

  const lines: string[] = [
    '[Script Info]',
    `; actionlens overlay: ${headerText(doc.source.name)}, model ${headerText(doc.model.id)}`,
    'ScriptType: v4.00+',
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: None',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Label,${OVERLAY_FONT},${layout.fontSize},${TEXT_COLOUR},${TEXT_COLOUR},${OUTLINE_COLOUR},&H00000000,0,0,0,0,100,100,0,0,1,${Math.max(1, Math.round(layout.fontSize / 20))},0,7,0,0,0,1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];

  for (const run of runs) {
    const start = formatAssTime(run.start);
    const end = formatAssTime(run.end);
    if (start === end) continue; // shorter than a centisecond
    const event = (layer: number, text: string) => lines.push(`Dialogue: ${layer},${start},${end},Label,,0,0,0,,${text}`);
    const panelHeight = 2 * layout.pad + run.labels.length * layout.rowHeight;
    event(0, rectangle(layout.margin, layout.margin, panelWidth, panelHeight, PANEL));
    run.labels.forEach((s, row) => {
      const centreY = layout.margin + layout.pad + row * layout.rowHeight + layout.rowHeight / 2;
      const barY = centreY - layout.barHeight / 2;
      event(1, rectangle(layout.barX, barY, layout.barWidth, layout.barHeight, TRACK));
      const filled = Math.round(layout.barWidth * Math.min(1, Math.max(0, s.score)));
      if (filled > 0) event(2, rectangle(layout.barX, barY, filled, layout.barHeight, FILL));
      event(3, `{\\an6\\pos(${px(layout.percentRight)},${px(centreY)})}${formatPercent(s.score)}`);
      event(3, `{\\an4\\pos(${px(layout.labelX)},${px(centreY)})}${escapeAssText(shownLabel(s.label))}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
