// A local HTTP server on 127.0.0.1 for the store tests: serves real bytes with or without Range
// support, redirects, dropped connections and stalls, and records every request it gets.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  path: string;
  range: string | undefined;
  status: number;
  bytesSent: number;
}

/** Decides how one request is answered; `index` counts requests to this path (0 = first). */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

export interface TestServer {
  url(path: string): string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

export async function startTestServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: ServedRequest[] = [];
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const entry: ServedRequest = { path, range: req.headers.range, status: 0, bytesSent: 0 };
    requests.push(entry);
    const index = counts.get(path) ?? 0;
    counts.set(path, index + 1);
    const write = res.write.bind(res) as (chunk: Uint8Array, cb?: () => void) => boolean;
    res.write = ((chunk: Uint8Array, cb?: () => void) => {
      entry.bytesSent += chunk.length;
      return write(chunk, cb);
    }) as typeof res.write;
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => (entry.status = res.statusCode));
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route(req, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `bytes`; honours `Range: bytes=N-` with 206 when `honorRange`, else always sends all of it. */
export function serveBytes(bytes: Uint8Array, options: { honorRange?: boolean } = {}): Route {
  return (req, res) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && options.honorRange !== false) {
      const start = Number(m[1]);
      if (start >= bytes.length) {
        res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': bytes.length - start,
        'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`,
        'accept-ranges': 'bytes',
      });
      res.write(bytes.subarray(start));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-length': bytes.length, ...(options.honorRange === false ? {} : { 'accept-ranges': 'bytes' }) });
    res.write(bytes);
    res.end();
  };
}

/** Sends the first `cut` bytes of a full 200 response, then kills the connection. */
export function dropAfter(bytes: Uint8Array, cut: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': bytes.length, 'accept-ranges': 'bytes' });
    res.write(bytes.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
  };
}

/** Sends the first `cut` bytes, then goes silent with the connection open. */
export function stallAfter(bytes: Uint8Array, cut: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': bytes.length, 'accept-ranges': 'bytes' });
    res.write(bytes.subarray(0, cut));
  };
}

/** Uses `first` for the first `n` requests to the path, then `rest`. */
export function firstThen(n: number, first: Route, rest: Route): Route {
  return (req, res, index) => (index < n ? first : rest)(req, res, index);
}

export function redirectTo(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location }).end();
  };
}

/** A port on 127.0.0.1 with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
