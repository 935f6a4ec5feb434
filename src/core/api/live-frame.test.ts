import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../errors.js';
import { decodeLiveFrame, encodeLiveFrame, LIVE_FRAME_HEADER_BYTES, type LiveFrame } from './live-frame.js';

function frame(width: number, height: number, tClient = 1234.5678): LiveFrame {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7 + 3) & 255;
  return { tClient, width, height, rgb };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionLensError);
    return `${(e as ActionLensError).code}: ${(e as ActionLensError).message}`;
  }
  throw new Error('expected a throw');
}

describe('live frame messages', () => {
  it('round-trips the timestamp, the size and every RGB byte', () => {
    const f = frame(5, 3, 98765.4321);
    const msg = encodeLiveFrame(f);
    expect(msg.length).toBe(LIVE_FRAME_HEADER_BYTES + 5 * 3 * 3);
    expect([...msg.subarray(0, 4)]).toEqual([0x41, 0x4c, 0x56, 1]);
    const back = decodeLiveFrame(msg);
    expect(back.tClient).toBe(98765.4321);
    expect([back.width, back.height]).toEqual([5, 3]);
    expect(back.rgb).toEqual(f.rgb);
  });

  it('decodes a message that sits at an offset inside a larger buffer (as Node sockets hand them out)', () => {
    const msg = encodeLiveFrame(frame(4, 4, 7));
    const pool = new Uint8Array(msg.length + 13);
    pool.set(msg, 13);
    const back = decodeLiveFrame(pool.subarray(13));
    expect(back.tClient).toBe(7);
    expect(back.rgb).toEqual(frame(4, 4).rgb);
    expect(back.rgb.buffer).toBe(pool.buffer); // a view, not a copy
  });

  it('refuses malformed messages with AL_ERR_BAD_REQUEST saying what is wrong', () => {
    const good = encodeLiveFrame(frame(4, 2));
    expect(codeOf(() => decodeLiveFrame(good.subarray(0, 10)))).toMatch(/^AL_ERR_BAD_REQUEST: .*10 bytes, shorter than the 16-byte header/);
    const magic = good.slice();
    magic[0] = 0x42;
    expect(codeOf(() => decodeLiveFrame(magic))).toMatch(/^AL_ERR_BAD_REQUEST: .*does not start with "ALV"/);
    const version = good.slice();
    version[3] = 9;
    expect(codeOf(() => decodeLiveFrame(version))).toMatch(/^AL_ERR_BAD_REQUEST: .*version 9/);
    expect(codeOf(() => decodeLiveFrame(good.subarray(0, good.length - 1)))).toMatch(/^AL_ERR_BAD_REQUEST: .*a 4x2 RGB frame takes 40/);
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(codeOf(() => decodeLiveFrame(longer))).toMatch(/^AL_ERR_BAD_REQUEST: .*43 bytes/);
    const zeroWidth = good.slice();
    new DataView(zeroWidth.buffer).setUint16(4, 0, true);
    expect(codeOf(() => decodeLiveFrame(zeroWidth))).toMatch(/^AL_ERR_BAD_REQUEST: .*0x2/);
    const nan = good.slice();
    new DataView(nan.buffer).setFloat64(8, Number.NaN, true);
    expect(codeOf(() => decodeLiveFrame(nan))).toMatch(/^AL_ERR_BAD_REQUEST: .*timestamp is NaN/);
  });

  it('refuses to encode a frame whose bytes do not match its size', () => {
    const f = frame(4, 2);
    expect(codeOf(() => encodeLiveFrame({ ...f, rgb: f.rgb.subarray(1) }))).toMatch(/^AL_ERR_INTERNAL: .*23 RGB bytes; 4x2 needs 24/);
    expect(codeOf(() => encodeLiveFrame({ ...f, tClient: Infinity }))).toMatch(/^AL_ERR_INTERNAL/);
    expect(codeOf(() => encodeLiveFrame({ ...f, width: 5000, rgb: new Uint8Array(5000 * 2 * 3) }))).toMatch(/^AL_ERR_INTERNAL: .*5000x2/);
  });
});
