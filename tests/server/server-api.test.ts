// The web app's HTTP API end to end on a real server (loopback, real MoViNet, real ffmpeg): the
// paths the page uses and the bad inputs it must refuse, with nothing left in the temp area.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, JobStatusSchema, ModelListSchema, ServerInfoSchema, UploadInfoSchema, type JobStatus } from '../../src/core/api/index.js';
import { validateResultDocument } from '../../src/core/result/index.js';
import { media } from '../e2e/cli.js';
import { readEvents, startTestServer, uploadForm, type TestServer } from './harness.js';

const ARM = readFileSync(media('arm_wrestling.mp4'));

async function upload(s: TestServer, bytes: Uint8Array, name: string) {
  const res = await fetch(`${s.base}/api/uploads`, { method: 'POST', body: uploadForm(bytes, name) });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function createJob(s: TestServer, body: unknown) {
  const res = await fetch(`${s.base}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function finalStatus(s: TestServer, id: string): Promise<JobStatus> {
  const events = await readEvents(`${s.base}/api/jobs/${id}/events`);
  const statuses = events.filter((e) => e.event === 'status').map((e) => JobStatusSchema.parse(e.data));
  return statuses.at(-1)!;
}

function errorCode(body: unknown): string {
  return ErrorBodySchema.parse(body).error.code;
}

describe('server API', () => {
  let s: TestServer;
  beforeAll(async () => {
    // No result cache: the same clip uploaded again must be analysed again (4 jobs at once really run).
    s = await startTestServer({ server: { max_upload_mb: 4, retain_sec: 600, concurrency: 2 }, result_cache: { enabled: false } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('describes itself and the zoo', async () => {
    const info = ServerInfoSchema.parse(await (await fetch(`${s.base}/api/info`)).json());
    expect(info.default_model).toBe('movinet-a0-stream-k600');
    expect(info.limits.max_upload_mb).toBe(4);
    expect(info.default_precision).toBe('fp32');
    expect(info.calibration_videos).toBe(0);
    const { models } = ModelListSchema.parse(await (await fetch(`${s.base}/api/models`)).json());
    expect(models.length).toBeGreaterThanOrEqual(17);
    const movinet = models.find((m) => m.id === 'movinet-a0-stream-k600')!;
    expect(movinet.kind).toBe('stream');
    expect(models.filter((m) => m.kind === 'clip').every((m) => m.top1 !== undefined)).toBe(true);
  });

  it('uploads a video, runs MoViNet with progress and a partial timeline, and serves the result and every export', async () => {
    const up = await upload(s, ARM, 'arm wrestling.mp4');
    expect(up.status).toBe(201);
    const info = UploadInfoSchema.parse(up.body);
    expect(info.duration_s).toBeGreaterThan(5);
    const created = await createJob(s, { source: { kind: 'upload', upload_id: info.upload_id }, analysis: { topk: 3 } });
    expect(created.status).toBe(202);
    const job = JobStatusSchema.parse(created.body);

    const events = await readEvents(`${s.base}/api/jobs/${job.id}/events`);
    const statuses = events.filter((e) => e.event === 'status').map((e) => JobStatusSchema.parse(e.data));
    expect(statuses.at(-1)!.state).toBe('done');
    expect(statuses.some((st) => st.progress.stage === 'analyze' && st.progress.fraction !== undefined)).toBe(true);
    const partial = events.filter((e) => e.event === 'partial').flatMap((e) => (e.data as { points: { t: number }[] }).points);
    expect(partial.length).toBeGreaterThan(10);
    expect(partial.every((p, i) => i === 0 || p.t >= partial[i - 1]!.t)).toBe(true);

    const doc = validateResultDocument(await (await fetch(`${s.base}/api/jobs/${job.id}/result`)).json());
    expect(doc.aggregate.topk[0]!.label).toBe('arm wrestling');
    expect(doc.source.name).toBe('arm wrestling.mp4');
    expect(doc.settings.topk).toBe(3);
    expect(doc.model.precision).toBe('fp32'); // the server's runtime.precision when the request names none

    const json = await fetch(`${s.base}/api/jobs/${job.id}/export/json`);
    expect(json.headers.get('content-disposition')).toContain('arm wrestling.actionlens.json');
    expect(validateResultDocument(await json.json()).timeline.length).toBe(doc.timeline.length);
    const csv = await (await fetch(`${s.base}/api/jobs/${job.id}/export/csv`)).text();
    expect(csv.split('\n')[0]).toMatch(/^t_start,/);
    const vtt = await (await fetch(`${s.base}/api/jobs/${job.id}/export/vtt`)).text();
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    expect(vtt).toContain('arm wrestling');

    const video = await fetch(`${s.base}/api/jobs/${job.id}/video`, { headers: { range: 'bytes=0-99' } });
    expect(video.status).toBe(206);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect((await video.arrayBuffer()).byteLength).toBe(100);

    // Discarding a finished job removes its folder.
    expect((await fetch(`${s.base}/api/jobs/${job.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${s.base}/api/jobs/${job.id}`)).status).toBe(404);
    expect(s.tempEntries()).toEqual([]);
  });

  it('refuses an oversized upload, a non-video, a still image and a path in the file name, keeping nothing', async () => {
    const big = await upload(s, new Uint8Array(5 * 1024 * 1024), 'big.mp4');
    expect(big.status).toBe(413);
    expect(errorCode(big.body)).toBe('AL_ERR_UPLOAD_TOO_LARGE');

    const text = await upload(s, new TextEncoder().encode('this is not a video\n'.repeat(100)), 'clip.mp4');
    expect(text.status).toBe(415);
    expect(errorCode(text.body)).toBe('AL_ERR_NOT_A_VIDEO');

    const png = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=red:s=32x32', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-']);
    const still = await upload(s, png, 'photo.mp4');
    expect(still.status).toBe(415);
    expect(ErrorBodySchema.parse(still.body).error.message).toMatch(/still image/);

    const traversal = await upload(s, ARM, '../../etc/passwd.mp4');
    expect(traversal.status).toBe(400);
    expect(ErrorBodySchema.parse(traversal.body).error.message).toMatch(/not a plain file name/);

    expect(s.tempEntries()).toEqual([]);
  });

  it('refuses an unknown model, a bad request body and an unknown upload with clear messages', async () => {
    const up = UploadInfoSchema.parse((await upload(s, ARM, 'a.mp4')).body);
    const unknown = await createJob(s, { source: { kind: 'upload', upload_id: up.upload_id }, model: 'no-such-model' });
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown.body)).toBe('AL_ERR_UNKNOWN_MODEL');
    const badSettings = await createJob(s, { source: { kind: 'upload', upload_id: up.upload_id }, analysis: { topk: 0 } });
    expect(badSettings.status).toBe(400);
    expect(ErrorBodySchema.parse(badSettings.body).error.message).toMatch(/topk/);
    const badBody = await createJob(s, { source: { kind: 'ftp', url: 'x' } });
    expect(badBody.status).toBe(400);
    expect(errorCode(badBody.body)).toBe('AL_ERR_BAD_REQUEST');
    const noUpload = await createJob(s, { source: { kind: 'upload', upload_id: 'AAAAAAAAAAAAAAAA' } });
    expect(noUpload.status).toBe(400);
    expect(ErrorBodySchema.parse(noUpload.body).error.message).toMatch(/No upload/);
    // The upload is still there for a corrected request.
    const ok = await createJob(s, { source: { kind: 'upload', upload_id: up.upload_id } });
    expect(ok.status).toBe(202);
    const id = JobStatusSchema.parse(ok.body).id;
    expect((await finalStatus(s, id)).state).toBe('done');
    await fetch(`${s.base}/api/jobs/${id}`, { method: 'DELETE' });
  });

  it('runs a job at the precision it asks for, and refuses a bad precision or a calibration path', async () => {
    const up = UploadInfoSchema.parse((await upload(s, ARM, 'int8.mp4')).body);
    const source = { kind: 'upload', upload_id: up.upload_id };
    const bad = await createJob(s, { source, precision: 'int4' });
    expect(bad.status).toBe(400);
    expect(ErrorBodySchema.parse(bad.body).error).toMatchObject({ code: 'AL_ERR_BAD_REQUEST', message: 'Invalid body: precision: expected one of fp32 | int8, got "int4"' });
    // Calibration videos are server files: only the server's config names them.
    const calibration = await createJob(s, { source, precision: 'int8', calibration: ['/etc/passwd'] });
    expect(calibration.status).toBe(400);
    expect(ErrorBodySchema.parse(calibration.body).error.message).toBe('Invalid body: calibration: unknown field');

    // MoViNet already runs int8 weights: int8 runs it as it is (no quantized copy, no calibration).
    const created = await createJob(s, { source, precision: 'int8' });
    expect(created.status).toBe(202);
    const id = JobStatusSchema.parse(created.body).id;
    expect((await finalStatus(s, id)).state).toBe('done');
    const doc = validateResultDocument(await (await fetch(`${s.base}/api/jobs/${id}/result`)).json());
    expect(doc.model.id).toBe('movinet-a0-stream-k600');
    expect(doc.model.precision).toBe('int8');
    expect(doc.model.quantization).toBeUndefined();
    expect(doc.timings.quantize_ms).toBeUndefined();
    expect(doc.aggregate.topk[0]!.label).toBe('arm wrestling');
    await fetch(`${s.base}/api/jobs/${id}`, { method: 'DELETE' });
    expect(s.tempEntries()).toEqual([]);
  });

  it('runs 4 uploads at once to completion and leaves no temp file', async () => {
    const ups = await Promise.all([0, 1, 2, 3].map((i) => upload(s, ARM, `clip-${i}.mp4`)));
    expect(ups.map((u) => u.status)).toEqual([201, 201, 201, 201]);
    const jobs = await Promise.all(
      ups.map(async (u) => JobStatusSchema.parse((await createJob(s, { source: { kind: 'upload', upload_id: UploadInfoSchema.parse(u.body).upload_id } })).body)),
    );
    const finals = await Promise.all(jobs.map((j) => finalStatus(s, j.id)));
    expect(finals.map((f) => f.state)).toEqual(['done', 'done', 'done', 'done']);
    for (const j of jobs) await fetch(`${s.base}/api/jobs/${j.id}`, { method: 'DELETE' });
    expect(s.tempEntries()).toEqual([]);
  });

  it('cancels a running job and removes its files at once', async () => {
    const up = UploadInfoSchema.parse((await upload(s, ARM, 'cancel-me.mp4')).body);
    // No result cache hit: other settings than the earlier runs.
    const job = JobStatusSchema.parse((await createJob(s, { source: { kind: 'upload', upload_id: up.upload_id }, analysis: { sample_fps: 'all' } })).body);
    const res = await fetch(`${s.base}/api/jobs/${job.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const last = await finalStatus(s, job.id);
    expect(last.state).toBe('cancelled');
    expect(last.error?.code).toBe('AL_ERR_ABORTED');
    expect(s.tempEntries()).toEqual([]);
    const result = await fetch(`${s.base}/api/jobs/${job.id}/result`);
    expect(result.status).toBe(409);
  });

  it('refuses requests for another host name when it has no token (DNS rebinding)', async () => {
    // fetch() will not send a forged Host header; node:http will.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${s.base}/api/info`, { headers: { host: 'attacker.example:8731' } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
    expect(errorCode(JSON.parse(body))).toBe('AL_ERR_UNAUTHORIZED');
  });
});

describe('URL input', () => {
  let open: TestServer;
  let strict: TestServer;
  let files: Server;
  let filesBase: string;
  beforeAll(async () => {
    // allow_private: the clip is served from this machine; the default server must refuse it.
    open = await startTestServer({ server: { url_input: { allow_private: true } } });
    strict = await startTestServer();
    files = createHttpServer((req, res) => {
      if (req.url === '/clips/arm_wrestling.mp4') {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': ARM.length });
        res.end(ARM);
      } else if (req.url === '/notes.txt') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('not a video');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([open?.close(), strict?.close(), new Promise((r) => files?.close(r))]);
  });

  it('downloads a clip from a URL and analyses it', async () => {
    const created = await createJob(open, { source: { kind: 'url', url: `${filesBase}/clips/arm_wrestling.mp4` } });
    expect(created.status).toBe(202);
    const id = JobStatusSchema.parse(created.body).id;
    const last = await finalStatus(open, id);
    expect(last.state).toBe('done');
    expect(last.source_name).toBe('arm_wrestling.mp4');
    const doc = validateResultDocument(await (await fetch(`${open.base}/api/jobs/${id}/result`)).json());
    expect(doc.aggregate.topk[0]!.label).toBe('arm wrestling');
    await fetch(`${open.base}/api/jobs/${id}`, { method: 'DELETE' });
    expect(open.tempEntries()).toEqual([]);
  });

  it('fails a URL job whose content is not a video, keeping nothing', async () => {
    const id = JobStatusSchema.parse((await createJob(open, { source: { kind: 'url', url: `${filesBase}/notes.txt` } })).body).id;
    const last = await finalStatus(open, id);
    expect(last.state).toBe('failed');
    expect(last.error?.code).toBe('AL_ERR_NOT_A_VIDEO');
    expect(open.tempEntries()).toEqual([]);
  });

  it.each([
    ['loopback when not allowed', () => `${filesBase}/clips/arm_wrestling.mp4`, /loopback/],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /link-local|metadata/],
    ['file://', () => 'file:///etc/passwd', /file:/],
    ['localhost by name', () => 'http://localhost/clip.mp4', /loopback/],
  ])('refuses %s with a clear message and no job', async (_name, url, reason) => {
    const res = await createJob(strict, { source: { kind: 'url', url: url() } });
    expect(res.status).toBe(400);
    const { error } = ErrorBodySchema.parse(res.body);
    expect(error.code).toBe('AL_ERR_URL_REFUSED');
    expect(error.message).toMatch(reason);
    expect(strict.tempEntries()).toEqual([]);
  });
});

describe('server with a token', () => {
  let s: TestServer;
  const token = 'test-token-0123456789abcdef';
  beforeAll(async () => {
    s = await startTestServer({ server: { token } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('requires the token as a bearer header or a query parameter, and still serves the page', async () => {
    expect((await fetch(`${s.base}/api/info`)).status).toBe(401);
    expect((await fetch(`${s.base}/api/info`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${s.base}/api/info`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${s.base}/api/info?token=${token}`)).status).toBe(200);
    expect((await fetch(`${s.base}/`)).status).toBe(200);
  });
});
