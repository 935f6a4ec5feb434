// Where the overlay draws the current top-K over the video picture. Pure geometry (device pixels),
// so it is tested without a canvas; overlay-draw.ts paints it.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The picture's rectangle inside a box, as CSS object-fit: contain places it (centred, letterboxed). */
export function fitContain(boxWidth: number, boxHeight: number, mediaWidth: number, mediaHeight: number): Rect {
  if (!(boxWidth > 0) || !(boxHeight > 0)) return { x: 0, y: 0, width: 0, height: 0 };
  if (!(mediaWidth > 0) || !(mediaHeight > 0)) return { x: 0, y: 0, width: boxWidth, height: boxHeight };
  const scale = Math.min(boxWidth / mediaWidth, boxHeight / mediaHeight);
  const width = mediaWidth * scale;
  const height = mediaHeight * scale;
  return { x: (boxWidth - width) / 2, y: (boxHeight - height) / 2, width, height };
}

export interface OverlayItem {
  label: string;
  score: number;
}

export interface OverlayRow {
  label: string;
  score: number;
  /** Text baseline (alphabetic) of the label and score line. */
  textY: number;
  labelX: number;
  /** Room for the label before the score text. */
  labelMaxWidth: number;
  /** Right edge of the right-aligned score text. */
  scoreRightX: number;
  scoreText: string;
  bar: Rect;
  /** Filled part of the bar: score x full width. */
  barFilledWidth: number;
}

export interface OverlayLayout {
  panel: Rect;
  fontPx: number;
  rows: OverlayRow[];
}

/** Font size in CSS pixels: follows the picture height, readable on a phone, modest on a monitor. */
export function overlayFontCss(pictureHeightCss: number): number {
  return Math.min(20, Math.max(11, pictureHeightCss * 0.045));
}

/**
 * Panel in the picture's top-left corner: one row per item (label, score, bar), as many rows as
 * fit in the picture. Null when there is nothing to show or no room for a readable panel.
 * `pixelRatio` = device pixels per CSS pixel (the canvas is sized in device pixels).
 */
export function layoutOverlay(picture: Rect, items: readonly OverlayItem[], pixelRatio = 1): OverlayLayout | null {
  if (items.length === 0 || !(picture.width > 0) || !(picture.height > 0)) return null;
  const ratio = pixelRatio > 0 ? pixelRatio : 1;
  const font = overlayFontCss(picture.height / ratio) * ratio;
  const margin = Math.round(font * 0.6);
  const pad = Math.round(font * 0.55);
  const barHeight = Math.max(2, Math.round(font * 0.32));
  const rowHeight = Math.round(font * 1.25) + barHeight + Math.round(font * 0.35);

  const maxPanelWidth = picture.width - 2 * margin;
  if (maxPanelWidth < font * 8) return null; // too narrow for a label and a score
  const width = Math.min(maxPanelWidth, Math.max(font * 14, picture.width * 0.4));
  const fitRows = Math.floor((picture.height - 2 * margin - 2 * pad) / rowHeight);
  const count = Math.min(items.length, fitRows);
  if (count < 1) return null;

  const panel: Rect = { x: picture.x + margin, y: picture.y + margin, width, height: 2 * pad + count * rowHeight };
  const inner = { x: panel.x + pad, width: width - 2 * pad };
  const scoreWidth = font * 3; // "100%"
  const rows: OverlayRow[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i];
    const top = panel.y + pad + i * rowHeight;
    const score = Math.min(1, Math.max(0, Number.isFinite(item.score) ? item.score : 0));
    const textY = top + Math.round(font * 1.0);
    const bar: Rect = { x: inner.x, y: textY + Math.round(font * 0.3), width: inner.width, height: barHeight };
    rows.push({
      label: item.label,
      score,
      textY,
      labelX: inner.x,
      labelMaxWidth: Math.max(0, inner.width - scoreWidth - font * 0.4),
      scoreRightX: inner.x + inner.width,
      scoreText: `${Math.round(score * 100)}%`,
      bar,
      barFilledWidth: bar.width * score,
    });
  }
  return { panel, fontPx: font, rows };
}

/**
 * The longest prefix of `text` (plus "…") whose width fits `maxWidth`, by binary search over the
 * length; `measure` is the canvas's measureText width.
 */
export function truncateToWidth(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const ellipsis = '…';
  if (measure(ellipsis) > maxWidth) return '';
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(text.slice(0, mid).trimEnd() + ellipsis) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo).trimEnd() + ellipsis;
}
