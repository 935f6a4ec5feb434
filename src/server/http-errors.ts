// Every error leaves the server as { error: { code, message, hint } } with the catalogue's status,
// whatever raised it: our code, fastify's validation, multipart limits, or a bug.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody } from '../core/api/index.js';
import { ActionLensError, ERROR_CATALOGUE, isActionLensError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export function toActionLensError(err: unknown, uploadLimitMb: number): ActionLensError {
  if (isActionLensError(err)) return err;
  const e = err as FastifyError & { issues?: unknown };
  switch (e?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ActionLensError('AL_ERR_UPLOAD_TOO_LARGE', `The upload is larger than the limit of ${uploadLimitMb} MB; nothing of it was kept.`, {
        hint: 'Trim or compress the video, or raise server.max_upload_mb.',
      });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ActionLensError('AL_ERR_BAD_REQUEST', `${e.message}.`, { hint: 'Send multipart/form-data with one file field named "file".' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ActionLensError('AL_ERR_BAD_REQUEST', e.message);
  }
  if (e?.validation || (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)) {
    return new ActionLensError('AL_ERR_BAD_REQUEST', e.message);
  }
  return new ActionLensError('AL_ERR_INTERNAL', e?.message ?? String(err), { cause: err });
}

export function errorBody(err: ActionLensError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
}

export function installErrorHandling(app: FastifyInstance, logger: Logger, uploadLimitMb: number): void {
  app.setErrorHandler((err, request, reply) => {
    const e = toActionLensError(err, uploadLimitMb);
    if (e.status >= 500) logger.error({ code: e.code, url: request.url, err: e.message }, 'request failed');
    else logger.debug({ code: e.code, url: request.url, err: e.message }, 'request refused');
    // A request whose body was cut short (e.g. a refused upload) cannot be reused: close it.
    if (e.code === 'AL_ERR_UPLOAD_TOO_LARGE') reply.header('connection', 'close');
    void reply.status(e.status).send(errorBody(e));
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: 'AL_ERR_BAD_REQUEST', message: `No route ${request.method} ${request.url.split('?')[0]}.`, hint: 'See docs/server.md for the API.' },
    };
    void reply.status(404).send(body);
  });
}

export const HTTP_STATUS_OF = (code: keyof typeof ERROR_CATALOGUE) => ERROR_CATALOGUE[code].status;
