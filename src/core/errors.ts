// One catalogue of error codes. Every error a user can see carries a stable code, an HTTP status
// (for the server) and a message that says what went wrong and what to do about it.
// tests/errors-catalogue.test.ts checks that every code here is documented in docs/errors.md.

export const ERROR_CATALOGUE = {
  // --- input / settings ---
  AL_ERR_INVALID_SETTINGS: { status: 400, summary: 'A setting or config file field is invalid.' },
  AL_ERR_CONFIG_READ: { status: 400, summary: 'A config file could not be read or parsed.' },
  AL_ERR_INPUT_NOT_FOUND: { status: 404, summary: 'The input file does not exist.' },
  AL_ERR_OUTPUT_UNWRITABLE: { status: 500, summary: 'An output file could not be written.' },
  // --- video ---
  AL_ERR_FFMPEG_NOT_FOUND: { status: 500, summary: 'ffmpeg or ffprobe is not installed or not found.' },
  AL_ERR_VIDEO_EMPTY: { status: 422, summary: 'The input file is empty.' },
  AL_ERR_VIDEO_UNREADABLE: { status: 422, summary: 'The input is not a video ffmpeg can read (corrupt, truncated or not a video).' },
  AL_ERR_VIDEO_NO_STREAM: { status: 422, summary: 'The input has no video stream.' },
  AL_ERR_DECODE_FAILED: { status: 422, summary: 'ffmpeg failed while decoding the video.' },
  AL_ERR_ABORTED: { status: 499, summary: 'The operation was cancelled.' },
  // --- models / store ---
  AL_ERR_UNKNOWN_MODEL: { status: 404, summary: 'No model with that id is in the zoo.' },
  AL_ERR_DOWNLOAD_FAILED: { status: 502, summary: 'A model artifact could not be downloaded.' },
  AL_ERR_OFFLINE: { status: 503, summary: 'A model artifact is not cached and the network cannot be reached.' },
  AL_ERR_SHA256_MISMATCH: { status: 502, summary: 'A model artifact does not have the expected sha256.' },
  AL_ERR_CACHE_UNWRITABLE: { status: 500, summary: 'The cache directory cannot be written.' },
  AL_ERR_LABELS_INVALID: { status: 500, summary: 'A label map file is missing, altered, or does not match the number of classes.' },
  // --- converters ---
  AL_ERR_TFLITE_INVALID: { status: 422, summary: 'The file is not a valid TFLite flatbuffer.' },
  AL_ERR_UNSUPPORTED_TFLITE_OP: { status: 422, summary: 'The TFLite model uses an operator the converter does not support.' },
  AL_ERR_CONVERSION_FAILED: { status: 500, summary: 'Converting a model to ONNX failed.' },
  AL_ERR_CHECKPOINT_INVALID: { status: 422, summary: 'The checkpoint file is not a readable PyTorch checkpoint.' },
  AL_ERR_CHECKPOINT_MISMATCH: { status: 422, summary: 'The checkpoint weights do not match the architecture (missing/unexpected keys or shapes).' },
  // --- runtime ---
  AL_ERR_RUNTIME_INIT: { status: 500, summary: 'ONNX Runtime could not create a session for the model.' },
  AL_ERR_INFERENCE_FAILED: { status: 500, summary: 'Running the model failed.' },
  AL_ERR_BAD_MODEL_OUTPUT: { status: 500, summary: 'The model returned an output of an unexpected shape.' },
  // --- server / web app ---
  AL_ERR_UNAUTHORIZED: { status: 401, summary: 'The request lacks the server token, or the token is wrong.' },
  AL_ERR_BAD_REQUEST: { status: 400, summary: 'A request to the server is malformed (fields, ids, file names).' },
  AL_ERR_UPLOAD_TOO_LARGE: { status: 413, summary: 'An upload or URL download is larger than the configured limit.' },
  AL_ERR_NOT_A_VIDEO: { status: 415, summary: 'The uploaded or downloaded file is not a video (judged by its content).' },
  AL_ERR_VIDEO_TOO_LONG: { status: 413, summary: 'The video is longer than the configured limit.' },
  AL_ERR_URL_REFUSED: { status: 400, summary: 'A video URL was refused: not http(s), or it points at a private, loopback, link-local or metadata address.' },
  AL_ERR_URL_FETCH_FAILED: { status: 502, summary: 'A video URL could not be downloaded (HTTP error, timeout, too many redirects).' },
  AL_ERR_JOB_NOT_FOUND: { status: 404, summary: 'No job with that id (it never existed, or it finished and was removed).' },
  AL_ERR_JOB_NOT_READY: { status: 409, summary: 'The job has no result yet, or it failed or was cancelled.' },
  AL_ERR_SERVER_BUSY: { status: 503, summary: 'The job queue is full, or the most live (webcam) sessions are already open.' },
  AL_ERR_NOT_A_STREAM_MODEL: { status: 400, summary: 'Live (webcam) analysis needs a stream model such as MoViNet.' },
  AL_ERR_RENDER_FAILED: { status: 500, summary: 'Rendering the annotated video failed.' },
  // --- result cache ---
  AL_ERR_RESULT_INVALID: { status: 500, summary: 'A result document does not match the schema.' },
  AL_ERR_INTERNAL: { status: 500, summary: 'An unexpected internal error.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class ActionLensError extends Error {
  override name = 'ActionLensError';
  readonly code: ErrorCode;
  readonly status: number;
  /** What the user can do about it, shown after the message. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.hint = options?.hint;
  }

  /** One line for a terminal or a log: code, message and hint. */
  toUserString(): string {
    return `${this.code}: ${this.message}${this.hint ? `\n  hint: ${this.hint}` : ''}`;
  }
}

export function isActionLensError(e: unknown): e is ActionLensError {
  return e instanceof ActionLensError;
}

/** Throws AL_ERR_ABORTED when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ActionLensError('AL_ERR_ABORTED', 'Cancelled.');
}
