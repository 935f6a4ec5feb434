// Numbers, times and sizes as the page shows them. Pure, so they are tested without a browser.

/** 42 -> "42 s", 65 -> "1:05", 3725 -> "1:02:05". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '';
  if (sec < 1) return '< 1 s';
  const whole = Math.round(sec);
  if (whole < 60) return `${whole} s`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "ETA 1:05", or '' when there is no usable estimate. */
export function formatEta(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec) || sec < 0) return '';
  return `ETA ${formatDuration(sec)}`;
}

/** A fraction 0..1 as a whole percent, floored so 100% only shows when the work is complete. */
export function formatPercent(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '';
  const clamped = Math.min(1, Math.max(0, fraction));
  return `${Math.floor(clamped * 100)}%`;
}

/** A media position: 3.5 -> "0:03.5", 3725.25 -> "1:02:05.3". */
export function formatTimestamp(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '';
  const tenths = Math.round(sec * 10);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = (tenths % 600) / 10;
  const ss = s.toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** An axis tick in seconds: 65 -> "1:05", 2.5 -> "0:02.5". */
export function formatAxisSeconds(sec: number): string {
  if (!Number.isFinite(sec)) return '';
  const sign = sec < 0 ? '-' : '';
  const abs = Math.abs(sec);
  const rounded = Math.round(abs * 10) / 10;
  const m = Math.floor(rounded / 60);
  const s = rounded - m * 60;
  const ss = Number.isInteger(s) ? String(s).padStart(2, '0') : s.toFixed(1).padStart(4, '0');
  return `${sign}${m}:${ss}`;
}

/** Decimal units, as download sizes are usually quoted: 1_500_000 -> "1.5 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A probability as the tables show it: 3 decimals, so it reads back as the number it is. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(3) : '';
}

const STAGE_LABELS: Record<string, string> = {
  upload: 'Uploading video',
  fetch: 'Downloading video',
  queued: 'Queued',
  starting: 'Starting',
  model: 'Preparing model',
  download: 'Downloading model',
  convert: 'Converting model',
  probe: 'Reading video',
  hash: 'Checking video',
  analyze: 'Analyzing',
  done: 'Done',
};

/** The stage name the server reports, in words; unknown stages are shown as sent. */
export function stageLabel(stage: string, queuePosition?: number): string {
  const label = STAGE_LABELS[stage] ?? stage;
  if (stage === 'queued' && queuePosition !== undefined && queuePosition > 0) {
    return `${label} (${queuePosition} ${queuePosition === 1 ? 'job' : 'jobs'} ahead)`;
  }
  return label;
}

/** One line for the progress bar: "Analyzing · 45% · ETA 0:32". */
export function progressText(stage: string, fraction?: number, etaSec?: number, queuePosition?: number): string {
  return [stageLabel(stage, queuePosition), formatPercent(fraction), formatEta(etaSec)].filter((p) => p !== '').join(' · ');
}

/**
 * Seconds left from a steady rate, or undefined while there is too little to go on
 * (the first half second, or nothing transferred yet).
 */
export function estimateRemaining(elapsedSec: number, done: number, total: number): number | undefined {
  if (!(elapsedSec >= 0.5) || !(done > 0) || !(total >= done)) return undefined;
  return ((total - done) * elapsedSec) / done;
}

/** A file-name stem for downloads: "My clip (1).mp4" -> "My clip (1)"; URLs keep their last path part. */
export function fileStem(sourceName: string): string {
  let name = sourceName.trim();
  try {
    if (/^https?:\/\//i.test(name)) name = decodeURIComponent(new URL(name).pathname.split('/').pop() ?? '');
  } catch {
    // Not a URL after all (or bad escapes): use the text as it is.
  }
  name = name.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  if (dot > 0) name = name.slice(0, dot);
  // Characters Windows, macOS or Linux refuse in file names, and control characters.
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[<>:"/\\|?*\u0000-\u001f]+/g, '_').trim();
  return name.length > 0 ? name.slice(0, 120) : 'actionlens';
}
