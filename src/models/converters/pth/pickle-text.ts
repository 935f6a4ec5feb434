// Text codecs the pickle format needs. Python 2 `str` and protocol-2 `bytes` travel as latin-1.
import { invalidCheckpoint } from './checkpoint-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** ISO-8859-1 (byte n -> U+00nn). TextDecoder('latin1') is windows-1252, which differs at 0x80-0x9f. */
export function latin1Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** The inverse of latin1Decode: what `_codecs.encode(s, 'latin1')` returns. */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw invalidCheckpoint(`latin-1 encode: character U+${code.toString(16)} at index ${i} is outside latin-1 (0..255).`);
    out[i] = code;
  }
  return out;
}

export function utf8Decode(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw invalidCheckpoint(`${what}: a unicode string is not valid UTF-8.`);
  }
}

/** Python 2 `str` (STRING/BINSTRING): UTF-8 when it is valid, else latin-1 (as torch.load(encoding='latin1')). */
export function py2StringDecode(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return latin1Decode(bytes);
  }
}
