// The "on the server" engine: frames go over a WebSocket to /api/live/<model>/ws as binary messages
// (src/core/api/live-frame.ts), one LiveReply comes back per frame. One frame in flight at a time
// (the live loop never sends the next before the reply). When the server refuses or fails, it sends
// an ErrorBody before closing; the pending step rejects with that error, code and hint included.
import { ErrorBodySchema, LiveReplySchema, type ErrorBody, type LiveReply } from '../../../src/core/api/index.js';
import { encodeLiveFrame } from '../../../src/core/api/live-frame.js';
import { ActionLensError, ERROR_CATALOGUE, type ErrorCode } from '../../../src/core/errors.js';
import type { LiveEngine } from './live-loop.js';

/** What is used of a WebSocket: the browser's, or the `ws` package's in Node (tests, benches). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

export interface ServerEngineOptions {
  /** '' for the page's own origin, else the server's address. */
  apiBase: string;
  token: string | null;
  model: string;
  /** The model's frame size (LiveModelInfo). */
  width: number;
  height: number;
  /** Default: the browser's WebSocket. */
  openSocket?: (url: string) => WebSocketLike;
  /** What a relative apiBase is resolved against; default: the page's address. */
  pageUrl?: string;
  /** How long to wait for the connection, and then for each reply (ms). */
  timeoutMs?: number;
}

export interface ServerEngine extends LiveEngine {
  close(): void;
}

/** ws(s)://host/api/live/<model>/ws?token=..., from the API base the page uses for fetch. */
export function liveSocketUrl(apiBase: string, model: string, token: string | null, pageUrl: string): string {
  const url = new URL(`${apiBase}/api/live/${encodeURIComponent(model)}/ws`, pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set('token', token); // a WebSocket cannot carry an Authorization header
  return url.href;
}

function errorFromBody(body: ErrorBody): ActionLensError {
  const code = (body.error.code in ERROR_CATALOGUE ? body.error.code : 'AL_ERR_INTERNAL') as ErrorCode;
  return new ActionLensError(code, body.error.message, body.error.hint ? { hint: body.error.hint } : undefined);
}

function connectionError(what: string, code: number, reason: string): ActionLensError {
  return new ActionLensError('AL_ERR_INFERENCE_FAILED', `${what} (WebSocket close code ${code}${reason ? `: ${reason}` : ''}).`, {
    hint: 'Check that the actionlens server is still running and that the page was opened with its token, then press Start again.',
  });
}

export function connectServerEngine(opts: ServerEngineOptions): Promise<ServerEngine> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pageUrl = opts.pageUrl ?? globalThis.location?.href;
  if (!pageUrl) throw new ActionLensError('AL_ERR_INTERNAL', 'connectServerEngine needs pageUrl outside a browser.');
  const openSocket: (url: string) => WebSocketLike = opts.openSocket ?? ((url) => new WebSocket(url));
  const socket = openSocket(liveSocketUrl(opts.apiBase, opts.model, opts.token, pageUrl));
  socket.binaryType = 'arraybuffer';

  let opened = false;
  let failure: ActionLensError | undefined;
  let pending:
    | { tClient: number; resolve: (r: { topk: LiveReply['topk']; inferMs: number }) => void; reject: (e: unknown) => void; timer: ReturnType<typeof setTimeout> }
    | undefined;

  const settleFailure = (e: ActionLensError) => {
    failure ??= e;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(failure);
      pending = undefined;
    }
  };

  socket.addEventListener('message', ({ data }) => {
    if (typeof data !== 'string') return settleFailure(new ActionLensError('AL_ERR_INTERNAL', 'The server sent a binary message on the live socket; expected JSON.'));
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return settleFailure(new ActionLensError('AL_ERR_INTERNAL', `The server sent a message that is not JSON: ${data.slice(0, 80)}`));
    }
    const error = ErrorBodySchema.safeParse(message);
    if (error.success) return settleFailure(errorFromBody(error.data));
    const reply = LiveReplySchema.safeParse(message);
    if (!reply.success) return settleFailure(new ActionLensError('AL_ERR_INTERNAL', `The server sent a live reply this page does not understand: ${reply.error.issues[0]?.message}`));
    // A reply for another frame (one the server skipped for a newer one) is not this step's.
    if (!pending || reply.data.t_client !== pending.tClient) return;
    clearTimeout(pending.timer);
    pending.resolve({ topk: reply.data.topk, inferMs: reply.data.infer_ms });
    pending = undefined;
  });

  const engine: ServerEngine = {
    step(rgb, tClient) {
      if (failure) return Promise.reject(failure);
      if (pending) return Promise.reject(new ActionLensError('AL_ERR_INTERNAL', 'A frame is already in flight on the live socket; send one at a time.'));
      socket.send(encodeLiveFrame({ tClient, width: opts.width, height: opts.height, rgb }));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            settleFailure(
              new ActionLensError('AL_ERR_INFERENCE_FAILED', `The server did not answer a frame within ${timeoutMs / 1000} s.`, {
                hint: 'The server may be overloaded: choose "in this browser", or try again later.',
              }),
            ),
          timeoutMs,
        );
        pending = { tClient, resolve, reject, timer };
      });
    },
    close() {
      failure ??= new ActionLensError('AL_ERR_ABORTED', 'Live analysis was stopped.');
      socket.close(1000, 'stopped');
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ActionLensError('AL_ERR_INFERENCE_FAILED', `No live connection to the server within ${timeoutMs / 1000} s.`, { hint: 'Check that the actionlens server is running.' }));
      socket.close();
    }, timeoutMs);
    socket.addEventListener('open', () => {
      opened = true;
      clearTimeout(timer);
      resolve(engine);
    });
    socket.addEventListener('close', ({ code, reason }) => {
      clearTimeout(timer);
      const e = failure ?? connectionError(opened ? 'The live connection to the server closed' : 'Could not open the live connection to the server', code, reason);
      settleFailure(e);
      if (!opened) reject(e);
    });
  });
}
