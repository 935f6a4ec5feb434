import { describe, expect, it } from 'vitest';
import { parseFfmpegLogLine } from './ffmpeg-log.js';
import { createShowinfoReader } from './showinfo.js';

// Lines as ffmpeg 5.1 prints them with `-loglevel level+info` (carving_ice.mp4, showinfo after scale).
const CONFIG = '[Parsed_showinfo_1 @ 0x560962b1b980] [info] config in time_base: 1/15360, frame_rate: 30/1';
const FRAME_127 =
  '[Parsed_showinfo_1 @ 0x560962b1b980] [info] n: 127 pts:  65024 pts_time:4.23333 pos:   119331 fmt:rgb24 sar:1/1 s:172x172 i:P iskey:0 type:B checksum:2D70C9F2 plane_checksum:[2D70C9F2] mean:[139] stdev:[66.2]';

describe('createShowinfoReader', () => {
  it('reads n, an exact pts (pts x time_base, not the 6-digit pts_time) and the size', () => {
    const reader = createShowinfoReader();
    expect(reader.read(parseFfmpegLogLine(CONFIG))).toBeUndefined();
    const record = reader.read(parseFfmpegLogLine(FRAME_127));
    expect(record).toEqual({ n: 127, ptsSec: 65024 / 15360, width: 172, height: 172 });
    expect(record!.ptsSec).not.toBe(4.23333);
  });

  it('skips side-data lines and lines from other components', () => {
    const reader = createShowinfoReader();
    expect(reader.read(parseFfmpegLogLine('[Parsed_showinfo_1 @ 0x1] [info]   side data - User Data Unregistered:'))).toBeUndefined();
    expect(reader.read(parseFfmpegLogLine('[h264 @ 0x2] [error] n: 1 pts: 2 pts_time:3 s:4x4 '))).toBeUndefined();
  });

  it('falls back to the nominal frame interval when a frame has no timestamp', () => {
    const reader = createShowinfoReader();
    reader.read(parseFfmpegLogLine('[Parsed_showinfo_0 @ 0x1] [info] config in time_base: 1/25, frame_rate: 25/1'));
    reader.read(parseFfmpegLogLine('[Parsed_showinfo_0 @ 0x1] [info] n:   0 pts:     10 pts_time:0.4 pos: 1 fmt:rgb24 sar:1/1 s:8x6 i:P'));
    const next = reader.read(parseFfmpegLogLine('[Parsed_showinfo_0 @ 0x1] [info] n:   1 pts: NOPTS pts_time:NOPTS pos: 1 fmt:rgb24 sar:1/1 s:8x6 i:P'));
    expect(next?.ptsSec).toBeCloseTo(0.44, 12);
  });
});
