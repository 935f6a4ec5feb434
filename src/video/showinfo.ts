// Reads ffmpeg's showinfo filter lines (one per frame, on stderr) into frame records: the pts that
// goes with each frame on stdout, and its size (so a frame-size change cannot desync the byte stream).
import type { FfmpegLogLine } from './ffmpeg-log.js';

export interface FrameRecord {
  /** showinfo's frame counter. */
  n: number;
  ptsSec: number;
  width: number;
  height: number;
}

const SHOWINFO_COMPONENT = /^Parsed_showinfo_\d+$/;
const CONFIG_LINE = /^config in time_base: (\d+)\/(\d+), frame_rate: (\d+)\/(\d+)/;
const FRAME_LINE = /^n:\s*(\d+)\s+pts:\s*(-?\d+|NOPTS)\s+pts_time:\s*(\S+).*?\ss:(\d+)x(\d+)\s/;

export function isShowinfoLine(line: FfmpegLogLine): boolean {
  return line.component !== undefined && SHOWINFO_COMPONENT.test(line.component);
}

/** Turns showinfo lines into FrameRecords; other showinfo lines (side data, colour info) are skipped. */
export function createShowinfoReader(): { read(line: FfmpegLogLine): FrameRecord | undefined } {
  let timeBase: number | undefined;
  let frameInterval = 0;
  let lastPtsSec: number | undefined;

  return {
    read(line) {
      if (!isShowinfoLine(line)) return undefined;
      const config = CONFIG_LINE.exec(line.text);
      if (config) {
        timeBase = Number(config[1]) / Number(config[2]);
        const rate = Number(config[3]) / Number(config[4]);
        frameInterval = rate > 0 ? 1 / rate : 0;
        return undefined;
      }
      const frame = FRAME_LINE.exec(line.text);
      if (!frame) return undefined;
      // pts * time_base is exact; pts_time is printed with 6 significant digits only.
      let ptsSec: number;
      if (frame[2] !== 'NOPTS' && timeBase !== undefined) ptsSec = Number(frame[2]) * timeBase;
      else if (frame[3] !== 'NOPTS' && Number.isFinite(Number(frame[3]))) ptsSec = Number(frame[3]);
      else ptsSec = lastPtsSec === undefined ? 0 : lastPtsSec + frameInterval; // no timestamp: assume the nominal rate
      lastPtsSec = ptsSec;
      return { n: Number(frame[1]), ptsSec, width: Number(frame[4]), height: Number(frame[5]) };
    },
  };
}
