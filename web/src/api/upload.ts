// File upload with progress. fetch() cannot report upload progress in every browser, so this uses
// XMLHttpRequest, whose upload.onprogress works in Chrome, Edge and Firefox alike.
import { UploadInfoSchema, type UploadInfo } from '../../../src/core/api/schema.js';
import { ActionLensError } from '../../../src/core/errors.js';
import { apiErrorFromResponse, NetworkError } from './errors.js';
import { parseResponse } from './parse.js';
import { authHeaders } from './token.js';

export interface UploadOptions {
  token: string | null;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

export function uploadFile(url: string, file: File, options: UploadOptions): Promise<UploadInfo> {
  return new Promise<UploadInfo>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ActionLensError('AL_ERR_ABORTED', 'Upload cancelled.'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(authHeaders(options.token))) xhr.setRequestHeader(name, value);
    xhr.responseType = 'text';

    const onAbortSignal = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbortSignal, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbortSignal);

    xhr.upload.onprogress = (e) => {
      options.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    };
    xhr.onload = () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(parseResponse(UploadInfoSchema, JSON.parse(xhr.responseText) as unknown, 'the upload'));
        } catch (e) {
          reject(e instanceof SyntaxError ? new ActionLensError('AL_ERR_INTERNAL', 'The server answered the upload with something that is not JSON.') : e);
        }
      } else {
        reject(apiErrorFromResponse(xhr.status, xhr.statusText, xhr.responseText, 'The upload'));
      }
    };
    xhr.onerror = () => {
      done();
      reject(new NetworkError('The upload was interrupted: the server could not be reached or closed the connection.'));
    };
    xhr.onabort = () => {
      done();
      reject(new ActionLensError('AL_ERR_ABORTED', 'Upload cancelled.'));
    };

    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
