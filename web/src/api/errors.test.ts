import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../../src/core/errors.js';
import { ApiError, apiErrorFromResponse, NetworkError, toUserFacingError } from './errors.js';

describe('apiErrorFromResponse', () => {
  it('keeps the server error code, message and hint', () => {
    const body = JSON.stringify({ error: { code: 'AL_ERR_URL_REFUSED', message: 'URL points at a private address.', hint: 'Use a public URL.' } });
    const e = apiErrorFromResponse(400, 'Bad Request', body, 'Starting the analysis');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('AL_ERR_URL_REFUSED');
    expect(e.message).toBe('URL points at a private address.');
    expect(e.hint).toBe('Use a public URL.');
    expect(e.status).toBe(400);
  });
  it('explains a 401 even when the body is not an error body', () => {
    const e = apiErrorFromResponse(401, 'Unauthorized', '<html>nope</html>', 'GET /api/info');
    expect(e.code).toBe('AL_ERR_UNAUTHORIZED');
    expect(e.hint).toMatch(/token/);
  });
  it('names the status for a body that is not JSON', () => {
    const e = apiErrorFromResponse(502, 'Bad Gateway', '', 'Reading the result');
    expect(e.message).toBe('Reading the result failed (HTTP 502 Bad Gateway).');
    expect(e.hint).toMatch(/actionlens serve/);
  });
});

describe('toUserFacingError', () => {
  it('shows message and hint of server and page errors', () => {
    expect(toUserFacingError(new ApiError(413, 'AL_ERR_UPLOAD_TOO_LARGE', 'Too big.', 'Trim it.'))).toEqual({
      code: 'AL_ERR_UPLOAD_TOO_LARGE',
      message: 'Too big.',
      hint: 'Trim it.',
    });
    expect(toUserFacingError(new ActionLensError('AL_ERR_CONFIG_READ', 'bad file', { hint: 'fix it' }))).toEqual({
      code: 'AL_ERR_CONFIG_READ',
      message: 'bad file',
      hint: 'fix it',
    });
  });
  it('gives a network failure a hint and keeps other errors readable', () => {
    expect(toUserFacingError(new NetworkError('gone')).hint).toMatch(/running/);
    expect(toUserFacingError(new Error('x'))).toEqual({ message: 'x' });
    expect(toUserFacingError('plain')).toEqual({ message: 'plain' });
  });
});
