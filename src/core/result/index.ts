export * from './schema.js';
export { validateResultDocument } from './validate.js';
export { resultJsonSchema } from './json-schema.js';
export { timelineToCsv, csvField, TIMELINE_CSV_HEADER } from './csv.js';
export { resultToWebVtt, timelineLabelRuns, formatVttTime, escapeVttText, formatPercent, DEFAULT_SHOWN_TOPK, type WebVttOptions, type LabelRun, type LabelRunOptions } from './webvtt.js';
export { resultToAssOverlay, assOverlayLayout, escapeAssText, formatAssTime, truncateLabel, OVERLAY_FONT, type AssOverlayOptions, type AssOverlayLayout } from './ass-overlay.js';
