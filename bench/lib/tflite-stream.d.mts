// Types for tflite-stream.mjs (plain JavaScript, so TypeScript callers and tests get a typed API).

export interface TfliteStreamOptions {
  /** The MoViNet stream .tflite file. */
  modelPath: string;
  /** Interpreter threads, 1..64; 1 uses the non-threaded SIMD build (the fixtures' build). Default 1. */
  threads?: number;
  /** Signature name -> tensor name map; default: `<model>.signature.json` beside the model. */
  signaturePath?: string;
}

export interface TfliteStream {
  /** 'tflite_web_api_cc_simd' or 'tflite_web_api_cc_simd_threaded'. */
  readonly build: string;
  readonly threads: number;
  /** Values per frame: 1*1*172*172*3 for MoViNet-A0. */
  readonly frameLength: number;
  /** The image input shape, [1, 1, H, W, 3]. */
  readonly inputShape: number[];
  /** Runs one frame (float32 RGB in [0, 1], HWC) and returns a copy of the logits, [1, 600] flat. */
  step(frame: Float32Array): Float32Array;
  /** Sets every state back to zero (start of a new clip). */
  reset(): void;
  /** Frees the interpreter and the WASM memory it holds; stops pthreads of the threaded build. */
  close(): void;
}

export function defaultSignaturePath(modelPath: string): string;
export function createTfliteStream(options: TfliteStreamOptions): Promise<TfliteStream>;
