// Quantized model inputs: an input that takes integer codes q for real values
// real = (q - zeroPoint) * scale (the ONNX QuantizeLinear convention). Converters record these in
// the ONNX metadata; runners read them to quantize what they feed (frames, all-zero states).
import { z } from 'zod';
import { ActionLensError } from './errors.js';

/** ONNX metadata key: JSON object { [inputName]: { scale, zero_point } }. */
export const QUANTIZED_INPUTS_METADATA_KEY = 'actionlens.quantized_inputs';

export interface InputQuantization {
  scale: number;
  /** In the input's own storage type (uint8: 0..255). */
  zeroPoint: number;
}

const metadataSchema = z.record(z.string().min(1), z.object({ scale: z.number().positive(), zero_point: z.number().int().min(0).max(255) }));

export function encodeQuantizedInputs(inputs: ReadonlyMap<string, InputQuantization>): string {
  const entries = [...inputs].map(([name, q]) => [name, { scale: q.scale, zero_point: q.zeroPoint }] as const);
  return JSON.stringify(Object.fromEntries(entries));
}

/** Parses the metadata value (absent = no quantized inputs). */
export function decodeQuantizedInputs(json: string | undefined): Map<string, InputQuantization> {
  if (json === undefined) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw badMetadata(json, (e as Error).message);
  }
  const result = metadataSchema.safeParse(parsed);
  if (!result.success) throw badMetadata(json, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return new Map(Object.entries(result.data).map(([name, q]) => [name, { scale: q.scale, zeroPoint: q.zero_point }]));
}

function badMetadata(json: string, why: string): ActionLensError {
  return new ActionLensError('AL_ERR_RUNTIME_INIT', `ONNX metadata '${QUANTIZED_INPUTS_METADATA_KEY}' is ${json.slice(0, 120)}: ${why}; expected {"<input>": {"scale": >0, "zero_point": 0..255}}.`, {
    hint: 'Convert the model again with this version of actionlens, or remove the metadata entry.',
  });
}

/** Round half to even, as ONNX QuantizeLinear does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The uint8 code of a real value: saturating QuantizeLinear, computed in float32 like the kernel. */
export function quantizeValue(real: number, q: InputQuantization): number {
  const code = roundHalfEven(Math.fround(Math.fround(real) / Math.fround(q.scale))) + q.zeroPoint;
  return Math.min(255, Math.max(0, code));
}

/**
 * Code for every pixel value 0..255 when the model's real input is fround(v * valueScale): one
 * table lookup per byte instead of a division. Identity when the quantization matches the scale.
 */
export function pixelQuantizationTable(valueScale: number, q: InputQuantization): Uint8Array {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = quantizeValue(Math.fround(v * valueScale), q);
  return table;
}
