// Reading ffmpeg/ffprobe stderr: one line at a time, with the component and (when run with
// `-loglevel level+...`) the level split off, and a short summary for error messages.

export type FfmpegLogLevel = 'quiet' | 'panic' | 'fatal' | 'error' | 'warning' | 'info' | 'verbose' | 'debug' | 'trace';

export interface FfmpegLogLine {
  /** The component in `[h264 @ 0x55d0...]`, without the address; undefined for top-level lines. */
  component?: string;
  /** Present when ffmpeg ran with the `level` log flag. */
  level?: FfmpegLogLevel;
  text: string;
}

const LEVELS = new Set<string>(['quiet', 'panic', 'fatal', 'error', 'warning', 'info', 'verbose', 'debug', 'trace']);
const COMPONENT = /^\[([^\]@]+?) @ 0x[0-9a-f]+\] ?/i;
const LEVEL = /^\[([a-z]+)\] ?/;

export function parseFfmpegLogLine(line: string): FfmpegLogLine {
  let rest = line;
  let component: string | undefined;
  let level: FfmpegLogLevel | undefined;
  const componentMatch = COMPONENT.exec(rest);
  if (componentMatch) {
    component = componentMatch[1].trim();
    rest = rest.slice(componentMatch[0].length);
  }
  const levelMatch = LEVEL.exec(rest);
  if (levelMatch && LEVELS.has(levelMatch[1])) {
    level = levelMatch[1] as FfmpegLogLevel;
    rest = rest.slice(levelMatch[0].length);
  }
  return { component, level, text: rest.trimEnd() };
}

export function isErrorLevel(level: FfmpegLogLevel | undefined): boolean {
  return level === 'error' || level === 'fatal' || level === 'panic';
}

/**
 * Collapses repeated lines (numbers and offsets ignored, so "partial file" at 40 offsets is one
 * line "(x40)"), most frequent first, and keeps `maxDistinct` of them so a message stays readable
 * for a badly broken file.
 */
export function summariseLogLines(lines: readonly FfmpegLogLine[], maxDistinct = 4): string {
  const groups = new Map<string, { text: string; count: number }>();
  for (const line of lines) {
    const text = line.text.trim();
    if (text === '') continue;
    const shown = line.component && line.component !== 'NULL' ? `${line.component}: ${text}` : text;
    const key = shown.replace(/0x[0-9a-f]+|\d+/gi, '#');
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { text: shown, count: 1 });
  }
  // Map keeps first-seen order, and the sort is stable: equal counts stay in order of appearance.
  const distinct = [...groups.values()].sort((a, b) => b.count - a.count);
  const shown = distinct.slice(0, maxDistinct).map((g) => (g.count > 1 ? `${g.text} (x${g.count})` : g.text));
  const more = distinct.length - shown.length;
  if (more > 0) shown.push(`... and ${more} more distinct message${more === 1 ? '' : 's'}`);
  return shown.join(' | ');
}

/** Splits raw stderr text into parsed lines. */
export function parseFfmpegLog(stderr: string): FfmpegLogLine[] {
  return stderr
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map(parseFfmpegLogLine);
}

/** Feeds text chunks in, calls `onLine` per complete line; `flush()` hands out a last unterminated line. */
export function createLineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let partial = '';
  return {
    push(text) {
      const parts = (partial + text).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.length > 0) onLine(line);
    },
    flush() {
      if (partial.length > 0) onLine(partial);
      partial = '';
    },
  };
}
