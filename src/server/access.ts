// Who may call the API. Loopback with no token: only requests whose Host header names this machine
// (a web page on another site cannot use DNS rebinding to read results). Any other bind address
// requires a token, as a bearer header or (for EventSource, <video>, downloads) a query parameter.
import { timingSafeEqual, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ActionLensError } from '../core/errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function presentedToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.replace(/:\d+$/, '');
}

export function installAccessControl(app: FastifyInstance, opts: { token: string | null }): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return; // the page's static files carry no data
    if (opts.token) {
      const given = presentedToken(request);
      if (given && sameToken(given, opts.token)) return;
      throw new ActionLensError('AL_ERR_UNAUTHORIZED', given ? 'The server token is wrong.' : 'This server requires a token.', {
        hint: 'Open the address `actionlens serve` printed (it ends in ?token=...), or send "Authorization: Bearer <token>".',
      });
    }
    if (!isLoopbackHost(hostName(request.headers.host))) {
      throw new ActionLensError('AL_ERR_UNAUTHORIZED', `Requests for host '${request.headers.host ?? ''}' are refused by a server without a token.`, {
        hint: 'Open the page at http://127.0.0.1:<port>/, or start the server with a token (server.token) to use other host names.',
      });
    }
  });
}
