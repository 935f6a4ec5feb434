// Errors as the page shows them: a message, an optional hint (what to do) and the code. Server
// errors arrive as { error: { code, message, hint? } }; the page's own errors are ActionLensErrors.
import { ErrorBodySchema } from '../../../src/core/api/schema.js';
import { isActionLensError } from '../../../src/core/errors.js';

export interface UserFacingError {
  message: string;
  hint?: string;
  code?: string;
}

/** An error response from the server (non-2xx status). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: string;
  readonly status: number;
  readonly hint?: string;

  constructor(status: number, code: string, message: string, hint?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

/** The server could not be reached at all (down, network gone, blocked). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

const HINT_UNAUTHORIZED = 'Open the page with the link the server printed at start-up (it ends in ?token=...).';

/**
 * An ApiError from a failed response's status and body text. Bodies that are not the error shape
 * (a proxy's HTML page, an empty body) still give a readable message naming the status.
 */
export function apiErrorFromResponse(status: number, statusText: string, bodyText: string, what: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, hint } = parsed.data.error;
    return new ApiError(status, code, message, hint ?? (status === 401 ? HINT_UNAUTHORIZED : undefined));
  }
  const reason = statusText ? `${status} ${statusText}` : String(status);
  if (status === 401) return new ApiError(status, 'AL_ERR_UNAUTHORIZED', `${what} was refused: the server token is missing or wrong.`, HINT_UNAUTHORIZED);
  return new ApiError(
    status,
    status >= 500 ? 'AL_ERR_INTERNAL' : 'AL_ERR_BAD_REQUEST',
    `${what} failed (HTTP ${reason}).`,
    status === 502 || status === 503 || status === 504 ? 'The server or a proxy in front of it is not answering; check that actionlens serve is running.' : undefined,
  );
}

/** Any thrown value as { message, hint, code } for the error box. */
export function toUserFacingError(e: unknown): UserFacingError {
  if (e instanceof ApiError) return { message: e.message, hint: e.hint, code: e.code };
  if (isActionLensError(e)) return { message: e.message, hint: e.hint, code: e.code };
  if (e instanceof NetworkError) {
    return { message: e.message, hint: 'Check that actionlens serve is still running and reload the page.' };
  }
  if (e instanceof Error) return { message: e.message };
  return { message: String(e) };
}
