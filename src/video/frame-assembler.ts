// Joins ffmpeg's two outputs into frames: raw rgb24 bytes on stdout and, per frame, a record
// (pts, size) on stderr. The two pipes are read independently, so either may run ahead.
import { ActionLensError } from '../core/errors.js';
import type { RgbFrame } from '../core/video-types.js';
import type { FrameRecord } from './showinfo.js';

export interface FrameAssembler {
  addRecord(record: FrameRecord): void;
  addBytes(chunk: Uint8Array): void;
  /** Bytes received that no complete frame has used yet. */
  readonly pendingBytes: number;
  /** Records received whose bytes have not all arrived. */
  readonly pendingRecords: number;
  /** Frames handed out so far. */
  readonly frameCount: number;
}

/**
 * Calls `onFrame` for each complete frame, in order. Each frame owns a fresh buffer.
 * ffmpeg's rawvideo output keeps the size of the first frame even when the stream changes
 * resolution mid-way (the bytes no longer match the frames then), so a size change throws
 * AL_ERR_DECODE_FAILED from addRecord instead of handing out garbage.
 */
export function createFrameAssembler(onFrame: (frame: RgbFrame) => void): FrameAssembler {
  const records: FrameRecord[] = [];
  const chunks: Uint8Array[] = [];
  let pendingBytes = 0;
  let frameCount = 0;
  let streamSize: { width: number; height: number } | undefined;

  function takeBytes(count: number): Uint8Array {
    const data = new Uint8Array(count);
    let offset = 0;
    while (offset < count) {
      const chunk = chunks[0];
      const take = Math.min(chunk.length, count - offset);
      data.set(take === chunk.length ? chunk : chunk.subarray(0, take), offset);
      offset += take;
      if (take === chunk.length) chunks.shift();
      else chunks[0] = chunk.subarray(take);
    }
    pendingBytes -= count;
    return data;
  }

  function emitReady(): void {
    while (records.length > 0) {
      const record = records[0];
      const frameBytes = record.width * record.height * 3; // [H, W, 3] rgb24
      if (pendingBytes < frameBytes) return;
      records.shift();
      const data = takeBytes(frameBytes);
      onFrame({ index: frameCount++, ptsSec: record.ptsSec, width: record.width, height: record.height, data });
    }
  }

  return {
    addRecord(record) {
      streamSize ??= { width: record.width, height: record.height };
      if (record.width !== streamSize.width || record.height !== streamSize.height) {
        throw new ActionLensError(
          'AL_ERR_DECODE_FAILED',
          `The video changes frame size mid-stream (${streamSize.width}x${streamSize.height} -> ${record.width}x${record.height} at frame ${record.n}).`,
          { hint: "Decode with geometry { kind: 'exact', width, height } to get one fixed size." },
        );
      }
      records.push(record);
      emitReady();
    },
    addBytes(chunk) {
      if (chunk.length === 0) return;
      chunks.push(chunk);
      pendingBytes += chunk.length;
      emitReady();
    },
    get pendingBytes() {
      return pendingBytes;
    },
    get pendingRecords() {
      return records.length;
    },
    get frameCount() {
      return frameCount;
    },
  };
}
