// Tells "no network" apart from "the server failed": the first gets AL_ERR_OFFLINE with
// instructions for working offline, the second AL_ERR_DOWNLOAD_FAILED and retries.

/** errno codes that mean the host could not be reached at all. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isOfflineError(error: unknown): boolean {
  const code = errnoCode(error);
  return code !== undefined && OFFLINE_CODES.has(code);
}

/** A failure of one HTTP attempt; `retryable` says whether trying again may help. */
export class TransferError extends Error {
  override name = 'TransferError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
