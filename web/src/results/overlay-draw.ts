// Paints the current top-K over the video picture (layout from overlay-layout.ts). The canvas
// covers the video element; its backing store follows the element's size and the pixel ratio.
import { fitContain, layoutOverlay, truncateToWidth, type OverlayItem } from './overlay-layout.js';
import { OTHER_COLOR } from './timeline-data.js';

const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Resizes the backing store to the displayed size; returns the device pixel ratio used. */
export function fitCanvas(canvas: HTMLCanvasElement): number {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(0, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(0, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  return ratio;
}

export function drawOverlay(
  canvas: HTMLCanvasElement,
  items: readonly OverlayItem[],
  media: { width: number; height: number },
  colors: ReadonlyMap<string, string>,
): void {
  const ratio = fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const picture = fitContain(canvas.width, canvas.height, media.width, media.height);
  const layout = layoutOverlay(picture, items, ratio);
  if (layout === null) return;

  const { panel, fontPx } = layout;
  ctx.fillStyle = 'rgba(15, 17, 21, 0.62)';
  const radius = fontPx * 0.4;
  ctx.beginPath();
  if (typeof ctx.roundRect === 'function') ctx.roundRect(panel.x, panel.y, panel.width, panel.height, radius);
  else ctx.rect(panel.x, panel.y, panel.width, panel.height);
  ctx.fill();

  ctx.font = `${Math.round(fontPx)}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'alphabetic';
  const measure = (s: string) => ctx.measureText(s).width;
  for (const row of layout.rows) {
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'left';
    ctx.fillText(truncateToWidth(row.label, row.labelMaxWidth, measure), row.labelX, row.textY);
    ctx.textAlign = 'right';
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillText(row.scoreText, row.scoreRightX, row.textY);

    ctx.fillStyle = 'rgba(255, 255, 255, 0.18)';
    ctx.fillRect(row.bar.x, row.bar.y, row.bar.width, row.bar.height);
    ctx.fillStyle = colors.get(row.label) ?? OTHER_COLOR;
    ctx.fillRect(row.bar.x, row.bar.y, row.barFilledWidth, row.bar.height);
  }
}
