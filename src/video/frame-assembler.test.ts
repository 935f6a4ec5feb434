import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../core/video-types.js';
import { createFrameAssembler } from './frame-assembler.js';

const record = (n: number, width = 2, height = 2) => ({ n, ptsSec: n / 10, width, height });
const bytes = (from: number, count: number) => Uint8Array.from({ length: count }, (_, i) => (from + i) % 256);

describe('createFrameAssembler', () => {
  it('cuts the byte stream into frames whatever the chunking, with records arriving before or after the bytes', () => {
    const frames: RgbFrame[] = [];
    const assembler = createFrameAssembler((f) => frames.push(f));
    const all = bytes(0, 36); // three 2x2 rgb frames
    assembler.addBytes(all.subarray(0, 5)); // bytes first, no record yet
    expect(frames).toHaveLength(0);
    assembler.addRecord(record(0));
    assembler.addBytes(all.subarray(5, 30)); // completes frame 0, and holds frame 1 until its record
    expect(frames).toHaveLength(1);
    assembler.addRecord(record(1));
    assembler.addRecord(record(2));
    expect(frames).toHaveLength(2);
    assembler.addBytes(all.subarray(30));
    expect(frames.map((f) => [f.index, f.ptsSec, f.width, f.height])).toEqual([
      [0, 0, 2, 2],
      [1, 0.1, 2, 2],
      [2, 0.2, 2, 2],
    ]);
    expect(Array.from(frames[1].data)).toEqual(Array.from(all.subarray(12, 24)));
    expect(assembler.pendingBytes).toBe(0);
    expect(assembler.frameCount).toBe(3);
  });

  it('keeps a partial last frame pending rather than handing it out', () => {
    const frames: RgbFrame[] = [];
    const assembler = createFrameAssembler((f) => frames.push(f));
    assembler.addRecord(record(0));
    assembler.addBytes(bytes(0, 7));
    expect(frames).toHaveLength(0);
    expect([assembler.pendingBytes, assembler.pendingRecords]).toEqual([7, 1]);
  });

  it('gives every frame its own buffer', () => {
    const frames: RgbFrame[] = [];
    const assembler = createFrameAssembler((f) => frames.push(f));
    const chunk = bytes(0, 24);
    assembler.addRecord(record(0));
    assembler.addRecord(record(1));
    assembler.addBytes(chunk);
    chunk.fill(0);
    expect(frames[1].data[0]).toBe(12);
    expect(frames[0].data.buffer).not.toBe(frames[1].data.buffer);
  });

  it('throws AL_ERR_DECODE_FAILED when the frame size changes mid-stream', () => {
    const assembler = createFrameAssembler(() => {});
    assembler.addRecord(record(0, 4, 2));
    expect(() => assembler.addRecord(record(1, 2, 4))).toThrow(/changes frame size mid-stream \(4x2 -> 2x4 at frame 1\)/);
  });
});
