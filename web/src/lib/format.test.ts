import { describe, expect, it } from 'vitest';
import {
  estimateRemaining,
  fileStem,
  formatAxisSeconds,
  formatBytes,
  formatDuration,
  formatEta,
  formatPercent,
  formatScore,
  formatTimestamp,
  progressText,
  stageLabel,
} from './format.js';

describe('formatDuration / formatEta', () => {
  it('uses seconds below a minute, m:ss below an hour, h:mm:ss above', () => {
    expect(formatDuration(0.4)).toBe('< 1 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
  it('gives no ETA for missing, negative or infinite estimates', () => {
    expect(formatEta(undefined)).toBe('');
    expect(formatEta(-1)).toBe('');
    expect(formatEta(Infinity)).toBe('');
    expect(formatEta(NaN)).toBe('');
    expect(formatEta(90)).toBe('ETA 1:30');
  });
});

describe('formatPercent', () => {
  it('floors so that 100% means complete, and clamps', () => {
    expect(formatPercent(0.999)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.456)).toBe('45%');
    expect(formatPercent(1.7)).toBe('100%');
    expect(formatPercent(-0.2)).toBe('0%');
    expect(formatPercent(undefined)).toBe('');
  });
});

describe('formatTimestamp / formatAxisSeconds', () => {
  it('shows tenths of a second', () => {
    expect(formatTimestamp(0)).toBe('0:00.0');
    expect(formatTimestamp(3.5)).toBe('0:03.5');
    expect(formatTimestamp(59.96)).toBe('1:00.0');
    expect(formatTimestamp(3725.25)).toBe('1:02:05.3');
  });
  it('axis ticks drop the tenths on whole seconds', () => {
    expect(formatAxisSeconds(65)).toBe('1:05');
    expect(formatAxisSeconds(2.5)).toBe('0:02.5');
    expect(formatAxisSeconds(0)).toBe('0:00');
  });
});

describe('formatBytes / formatScore', () => {
  it('uses decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(27_300_000)).toBe('27 MB');
    expect(formatBytes(2_100_000_000)).toBe('2.1 GB');
  });
  it('scores read back as the number they are', () => {
    expect(formatScore(0.87312)).toBe('0.873');
    expect(Number(formatScore(0.5))).toBe(0.5);
  });
});

describe('stage and progress text', () => {
  it('names stages in words and keeps unknown ones as sent', () => {
    expect(stageLabel('analyze')).toBe('Analyzing');
    expect(stageLabel('starting')).toBe('Starting');
    expect(stageLabel('warmup')).toBe('warmup');
    expect(stageLabel('queued', 2)).toBe('Queued (2 jobs ahead)');
    expect(stageLabel('queued', 1)).toBe('Queued (1 job ahead)');
    expect(stageLabel('queued', 0)).toBe('Queued');
  });
  it('joins stage, percent and ETA, leaving out what is unknown', () => {
    expect(progressText('analyze', 0.45, 32)).toBe('Analyzing · 45% · ETA 32 s');
    expect(progressText('probe')).toBe('Reading video');
    expect(progressText('analyze', 0.1)).toBe('Analyzing · 10%');
  });
});

describe('estimateRemaining', () => {
  it('extrapolates the rate so far', () => {
    expect(estimateRemaining(10, 25, 100)).toBeCloseTo(30);
  });
  it('waits for enough data', () => {
    expect(estimateRemaining(0.1, 10, 100)).toBeUndefined();
    expect(estimateRemaining(5, 0, 100)).toBeUndefined();
    expect(estimateRemaining(5, 10, 0)).toBeUndefined();
  });
});

describe('fileStem', () => {
  it('drops folders and the extension', () => {
    expect(fileStem('My clip (1).mp4')).toBe('My clip (1)');
    expect(fileStem('C:\\videos\\a.b.mkv')).toBe('a.b');
    expect(fileStem('.hidden')).toBe('.hidden');
  });
  it('uses the last path part of a URL, decoded', () => {
    expect(fileStem('https://example.com/media/ice%20carving.mp4?x=1')).toBe('ice carving');
  });
  it('replaces characters file systems refuse and never returns an empty name', () => {
    expect(fileStem('a:b*c?.mp4')).toBe('a_b_c_');
    expect(fileStem('https://example.com/')).toBe('actionlens');
    expect(fileStem('   ')).toBe('actionlens');
  });
});
