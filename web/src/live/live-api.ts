// The page's calls for live analysis: the stream model's description and, for the in-page engine,
// its ONNX bytes. Errors come out as the rest of the page's API errors do (code, message, hint).
import { API_PREFIX, LiveModelInfoSchema, type LiveModelInfo } from '../../../src/core/api/index.js';
import { apiErrorFromResponse, NetworkError } from '../api/errors.js';
import { parseResponse } from '../api/parse.js';
import { authHeaders } from '../api/token.js';

async function get(url: string, token: string | null, what: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: authHeaders(token), signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new NetworkError(`${what} failed: the actionlens server cannot be reached.`, { cause: e });
  }
  if (!response.ok) throw apiErrorFromResponse(response.status, response.statusText, await response.text(), what);
  return response;
}

/** GET /api/live/<model>/info: may take a while the first time (the server downloads and converts the model). */
export async function fetchLiveModelInfo(apiBase: string, token: string | null, model: string, signal?: AbortSignal): Promise<LiveModelInfo> {
  const what = `Loading the live model ${model}`;
  const response = await get(`${apiBase}${API_PREFIX}/live/${encodeURIComponent(model)}/info`, token, what, signal);
  return parseResponse(LiveModelInfoSchema, await response.json(), `GET ${API_PREFIX}/live/:model/info`);
}

/** The converted ONNX named by the info (revalidated by ETag, so a reload costs a 304). */
export async function fetchLiveModelOnnx(apiBase: string, token: string | null, info: LiveModelInfo, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await get(`${apiBase}${info.onnx_url}`, token, `Downloading the model ${info.id} for this browser`, signal);
  return new Uint8Array(await response.arrayBuffer());
}
