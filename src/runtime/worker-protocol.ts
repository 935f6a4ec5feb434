// Messages between the main thread and an inference worker. Plain data only (structured clone),
// typed arrays travel as transferables so frames are not copied twice.
import type { InputQuantization } from '../core/quantized-input.js';
import type { TensorData } from '../core/tensor.js';

export interface SessionInit {
  /** Path of the .onnx file (the worker reads it), or the model's bytes (moved to the worker, not copied). */
  model: string | Uint8Array;
  /** Intra-op threads; 0 lets ONNX Runtime decide. */
  threads: number;
  /** Preferred execution providers in order; CPU is always tried last. */
  executionProviders: readonly string[];
}

export interface ValueInfo {
  name: string;
  type: string;
  /** Symbolic dimensions are reported as -1. */
  dims: number[];
}

export interface StreamOpen {
  imageInput: string;
  logitsOutput: string;
  /**
   * Each state output is fed back as the named input on the next step. States start at real zero:
   * all zeros, or the zero point of an input the model's metadata lists as quantized.
   */
  states: { input: string; output: string }[];
}

/** What a stream step takes as its frame: the model's image input, as opened. */
export interface StreamImageInput {
  name: string;
  type: string;
  /** Symbolic dimensions opened as 1. */
  dims: number[];
  /** Set when the input takes uint8 codes (real = (code - zeroPoint) * scale) instead of real values. */
  quantization?: InputQuantization;
}

export type WorkerRequest =
  | { id: number; kind: 'init'; init: SessionInit }
  | { id: number; kind: 'run'; feeds: Record<string, TensorData>; outputs?: string[] }
  | { id: number; kind: 'stream-open'; stream: StreamOpen }
  | { id: number; kind: 'stream-step'; image: TensorData }
  | { id: number; kind: 'stream-reset' }
  | { id: number; kind: 'close' };

export interface InitReply {
  provider: string;
  /** Providers that were tried first and failed, with the reason. */
  fallbacks: { provider: string; reason: string }[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** The model's ONNX metadata_props (e.g. which inputs are quantized). */
  metadata: Record<string, string>;
  ortVersion: string;
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };
