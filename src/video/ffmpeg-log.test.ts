import { describe, expect, it } from 'vitest';
import { createLineSplitter, parseFfmpegLog, parseFfmpegLogLine, summariseLogLines } from './ffmpeg-log.js';

describe('parseFfmpegLogLine', () => {
  it('splits component, level and text', () => {
    expect(parseFfmpegLogLine('[h264 @ 0x555d8a965bc0] [error] Error splitting the input into NAL units.')).toEqual({
      component: 'h264',
      level: 'error',
      text: 'Error splitting the input into NAL units.',
    });
    expect(parseFfmpegLogLine('[error] Error while decoding stream #0:0: Invalid data')).toEqual({
      component: undefined,
      level: 'error',
      text: 'Error while decoding stream #0:0: Invalid data',
    });
    expect(parseFfmpegLogLine('x.mp4: Invalid data found when processing input').level).toBeUndefined();
  });
});

describe('summariseLogLines', () => {
  it('collapses lines that differ only in numbers, most frequent first, and caps the list', () => {
    const log = [
      '[h264 @ 0x1] [error] Invalid NAL unit size (3703 > 927).',
      '[mov,mp4 @ 0x2] [error] stream 0, offset 0x4e42b: partial file',
      '[mov,mp4 @ 0x2] [error] stream 0, offset 0x4e81f: partial file',
      '[mov,mp4 @ 0x2] [error] stream 0, offset 0x4fc1b: partial file',
      '[NULL @ 0x3] [error] missing picture in access unit with size 931',
      '[error] a',
      '[error] b',
      '[error] c',
    ].join('\n');
    const summary = summariseLogLines(parseFfmpegLog(log), 3);
    expect(summary).toBe(
      'mov,mp4: stream 0, offset 0x4e42b: partial file (x3) | h264: Invalid NAL unit size (3703 > 927). | missing picture in access unit with size 931 | ... and 3 more distinct messages',
    );
  });
});

describe('createLineSplitter', () => {
  it('joins lines split across chunks and flushes the last one', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((l) => lines.push(l));
    splitter.push('first li');
    splitter.push('ne\r\nsecond\nthi');
    expect(lines).toEqual(['first line', 'second']);
    splitter.flush();
    expect(lines).toEqual(['first line', 'second', 'thi']);
  });
});
