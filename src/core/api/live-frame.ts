// One webcam frame, page -> server, as a binary WebSocket message: a 16-byte header, then the
// packed RGB bytes (3 a pixel, row-major, no padding). Binary rather than JSON: a 172x172 frame is
// 89 kB raw, a third more as base64, and the server hands the bytes to the model without a copy.
//
//   offset  size  field
//   0       4     magic "ALV" + version byte (1)
//   4       2     width  (uint16, little-endian)
//   6       2     height (uint16, little-endian)
//   8       8     client timestamp in ms (float64, little-endian), echoed back in the reply
//   16      w*h*3 RGB
import { ActionLensError } from '../errors.js';

export const LIVE_FRAME_VERSION = 1;
export const LIVE_FRAME_HEADER_BYTES = 16;
/** The largest side a frame may have (the model's input size is far below this). */
export const LIVE_FRAME_MAX_SIDE = 4096;
const MAGIC = [0x41, 0x4c, 0x56] as const; // "ALV"

export interface LiveFrame {
  /** The page's clock (performance.now()) when the frame was grabbed. */
  tClient: number;
  width: number;
  height: number;
  /** [height, width, 3] uint8; a view of the message when decoded (no copy). */
  rgb: Uint8Array;
}

function checkSize(width: number, height: number, what: string, code: 'AL_ERR_BAD_REQUEST' | 'AL_ERR_INTERNAL'): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= LIVE_FRAME_MAX_SIDE;
  if (!ok(width) || !ok(height)) {
    throw new ActionLensError(code, `${what} is ${width}x${height}; width and height must be whole numbers in [1, ${LIVE_FRAME_MAX_SIDE}].`);
  }
}

export function encodeLiveFrame(frame: LiveFrame): Uint8Array {
  checkSize(frame.width, frame.height, 'the frame', 'AL_ERR_INTERNAL'); // a bug of the sender, not a bad request
  const expected = frame.width * frame.height * 3;
  if (frame.rgb.length !== expected) {
    throw new ActionLensError('AL_ERR_INTERNAL', `the frame has ${frame.rgb.length} RGB bytes; ${frame.width}x${frame.height} needs ${expected}.`);
  }
  if (!Number.isFinite(frame.tClient)) throw new ActionLensError('AL_ERR_INTERNAL', `the frame's timestamp is ${frame.tClient}; expected a finite number of ms.`);
  const out = new Uint8Array(LIVE_FRAME_HEADER_BYTES + expected);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[3] = LIVE_FRAME_VERSION;
  view.setUint16(4, frame.width, true);
  view.setUint16(6, frame.height, true);
  view.setFloat64(8, frame.tClient, true);
  out.set(frame.rgb, LIVE_FRAME_HEADER_BYTES);
  return out;
}

/** Parses and checks one message; every malformed message is AL_ERR_BAD_REQUEST saying what is wrong. */
export function decodeLiveFrame(message: Uint8Array): LiveFrame {
  const bad = (why: string) =>
    new ActionLensError('AL_ERR_BAD_REQUEST', `Not a valid live frame: ${why}.`, {
      hint: 'Send frames as the web page does (encodeLiveFrame in src/core/api/live-frame.ts); reload the page if it is from an older version.',
    });
  if (message.length < LIVE_FRAME_HEADER_BYTES) throw bad(`${message.length} bytes, shorter than the ${LIVE_FRAME_HEADER_BYTES}-byte header`);
  if (message[0] !== MAGIC[0] || message[1] !== MAGIC[1] || message[2] !== MAGIC[2]) throw bad('it does not start with "ALV"');
  if (message[3] !== LIVE_FRAME_VERSION) throw bad(`format version ${message[3]}, this server reads version ${LIVE_FRAME_VERSION}`);
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const width = view.getUint16(4, true);
  const height = view.getUint16(6, true);
  const tClient = view.getFloat64(8, true);
  checkSize(width, height, 'the live frame', 'AL_ERR_BAD_REQUEST');
  if (!Number.isFinite(tClient)) throw bad(`its timestamp is ${tClient}`);
  const expected = LIVE_FRAME_HEADER_BYTES + width * height * 3;
  if (message.length !== expected) throw bad(`${message.length} bytes; a ${width}x${height} RGB frame takes ${expected} (header included)`);
  return { tClient, width, height, rgb: message.subarray(LIVE_FRAME_HEADER_BYTES) };
}
