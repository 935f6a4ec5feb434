// The page's side of the HTTP API (src/core/api/schema.ts is the contract): every answer is
// checked against its zod schema before the page uses it.
import {
  API_PREFIX,
  CreateJobSchema,
  JobStatusSchema,
  ModelListSchema,
  SampleListSchema,
  ServerInfoSchema,
  type CreateJob,
  type ExportFormat,
  type JobStatus,
  type ModelList,
  type SampleList,
  type ServerInfo,
  type UploadInfo,
} from '../../../src/core/api/schema.js';
import { ActionLensError } from '../../../src/core/errors.js';
import { validateResultDocument } from '../../../src/core/result/validate.js';
import type { ResultDocument } from '../../../src/core/result/schema.js';
import { formatIssues } from '../../../src/core/settings/format-issues.js';
import { apiErrorFromResponse, NetworkError } from './errors.js';
import { parseResponse } from './parse.js';
import { authHeaders, withToken } from './token.js';
import { uploadFile, type UploadOptions } from './upload.js';

export class ApiClient {
  constructor(
    /** '' for same-origin. */
    readonly base: string,
    readonly token: string | null,
  ) {}

  info(): Promise<ServerInfo> {
    return this.getJson('/info', 'GET /api/info').then((d) => parseResponse(ServerInfoSchema, d, 'GET /api/info'));
  }

  models(): Promise<ModelList> {
    return this.getJson('/models', 'GET /api/models').then((d) => parseResponse(ModelListSchema, d, 'GET /api/models'));
  }

  samples(): Promise<SampleList> {
    return this.getJson('/samples', 'GET /api/samples').then((d) => parseResponse(SampleListSchema, d, 'GET /api/samples'));
  }

  upload(file: File, options: Omit<UploadOptions, 'token'> = {}): Promise<UploadInfo> {
    return uploadFile(this.url('/uploads'), file, { ...options, token: this.token });
  }

  async createJob(body: CreateJob, signal?: AbortSignal): Promise<JobStatus> {
    // Checked here too, so a bad field is named before anything is sent.
    const checked = CreateJobSchema.safeParse(body, { reportInput: true });
    if (!checked.success) {
      throw new ActionLensError('AL_ERR_BAD_REQUEST', `Cannot start the analysis: ${formatIssues(checked.error.issues, 'job').join('; ')}.`);
    }
    const data = await this.request('/jobs', 'Starting the analysis', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(checked.data),
      signal,
    });
    return parseResponse(JobStatusSchema, data, 'POST /api/jobs');
  }

  async job(id: string, signal?: AbortSignal): Promise<JobStatus> {
    const data = await this.request(`/jobs/${encodeURIComponent(id)}`, 'Reading the job status', { signal });
    return parseResponse(JobStatusSchema, data, 'GET /api/jobs/:id');
  }

  /** Cancels a queued/running job, or discards a finished one; answers the job's status after that. */
  async deleteJob(id: string): Promise<JobStatus> {
    const data = await this.request(`/jobs/${encodeURIComponent(id)}`, 'Cancelling the job', { method: 'DELETE' });
    return parseResponse(JobStatusSchema, data, 'DELETE /api/jobs/:id');
  }

  /**
   * Discards a job while the page is going away. A beacon cannot carry headers, so the token goes
   * in the URL; returns false when the browser refused to queue it.
   */
  discardOnUnload(id: string): boolean {
    if (typeof navigator.sendBeacon !== 'function') return false;
    return navigator.sendBeacon(withToken(this.url(`/jobs/${encodeURIComponent(id)}/discard`), this.token));
  }

  async result(id: string, signal?: AbortSignal): Promise<ResultDocument> {
    const data = await this.request(`/jobs/${encodeURIComponent(id)}/result`, 'Reading the result', { signal });
    return validateResultDocument(data);
  }

  /** URLs the browser opens itself (no headers possible), so they carry the token as a parameter. */
  eventsUrl(id: string): string {
    return withToken(this.url(`/jobs/${encodeURIComponent(id)}/events`), this.token);
  }

  videoUrl(id: string): string {
    return withToken(this.url(`/jobs/${encodeURIComponent(id)}/video`), this.token);
  }

  exportUrl(id: string, format: ExportFormat): string {
    return withToken(this.url(`/jobs/${encodeURIComponent(id)}/export/${format}`), this.token);
  }

  private url(path: string): string {
    return `${this.base}${API_PREFIX}${path}`;
  }

  private getJson(path: string, what: string): Promise<unknown> {
    return this.request(path, what, {});
  }

  private async request(path: string, what: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        ...init,
        headers: { Accept: 'application/json', ...authHeaders(this.token), ...(init.headers as Record<string, string> | undefined) },
      });
    } catch (e) {
      if (init.signal?.aborted) throw new ActionLensError('AL_ERR_ABORTED', 'Cancelled.');
      throw new NetworkError(`${what} failed: the actionlens server cannot be reached.`, { cause: e });
    }
    const text = await response.text();
    if (!response.ok) throw apiErrorFromResponse(response.status, response.statusText, text, what);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ActionLensError('AL_ERR_INTERNAL', `${what}: the server answered with something that is not JSON.`, {
        hint: 'A proxy in front of the server may be rewriting answers; open the server directly.',
      });
    }
  }
}
