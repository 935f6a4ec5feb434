// The live routes on a fastify instance with only this plugin (and the server's error handling),
// listening on a loopback port: the real MoViNet-A0 file converted through the store, a real
// WebSocket client (`ws`), and the frames of carving_ice.mp4 at the model's size and rate.
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, LiveModelInfoSchema, LiveReplySchema, type ErrorBody, type LiveReply } from '../../src/core/api/index.js';
import { encodeLiveFrame } from '../../src/core/api/live-frame.js';
import { ActionLensError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { argmax } from '../../src/core/postprocess/index.js';
import { createRecognizer } from '../../src/app/recognizer.js';
import { listModels } from '../../src/models/zoo.js';
import { installErrorHandling } from '../../src/server/http-errors.js';
import { liveRoutes } from '../../src/server/live-routes.js';
import { LIVE_WINDOW_FRAMES as WINDOW_FRAMES } from '../../src/core/stream-window.js';
import { createOrtWebStream } from '../../web/src/live/ort-web-stream.js';
import { connectServerEngine, type WebSocketLike } from '../../web/src/live/server-engine.js';
import { decodeModelFrames, haveSharedData, makeLiveSandbox, media, MOVINET_ID, type LiveSandbox } from '../live/live-fixtures.js';

const MAX_SOCKETS = 2;

/** A client socket with its messages queued in order, and how it closed. */
interface Client {
  ws: WebSocket;
  next(): Promise<unknown>;
  closed: Promise<{ code: number; reason: string }>;
}

describe.skipIf(!haveSharedData)('live routes', () => {
  let sandbox: LiveSandbox;
  let app: FastifyInstance;
  let base: string;
  let frames: Uint8Array[];
  /** The node recognizer on carving_ice.mp4: per-frame top-1 index and the whole clip's top-1 label. */
  const reference = { perFrame: [] as number[], perFrameScore: [] as number[], top1: '' };
  const clipModel = listModels().find((s) => s.input.layout !== 'NTHWC-stream')!.id;

  beforeAll(async () => {
    sandbox = makeLiveSandbox('live-routes');
    app = Fastify({ logger: false });
    installErrorHandling(app, silentLogger, 1);
    await app.register(liveRoutes, { config: sandbox.config, logger: silentLogger, prepare: sandbox.prepare, maxSockets: MAX_SOCKETS });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    base = address.replace(/^http/, 'ws');
    frames = await decodeModelFrames(media('carving_ice.mp4'));
    // The reference: the engine's own file analysis of the same clip, each frame's scores as they come.
    const recognizer = await createRecognizer({ ...sandbox.config, model: MOVINET_ID });
    try {
      const { document } = await recognizer.analyze(media('carving_ice.mp4'), {
        onFrame: (_t, _n, probs) => {
          reference.perFrame.push(argmax(probs));
          reference.perFrameScore.push(probs[argmax(probs)]!);
        },
      });
      reference.top1 = document.aggregate.topk[0]!.label;
    } finally {
      await recognizer.close();
    }
  });
  afterAll(async () => {
    await app?.close();
    sandbox?.cleanup();
  });

  const url = (path: string) => `${base.replace(/^ws/, 'http')}${path}`;

  function connect(model: string): Promise<Client> {
    const ws = new WebSocket(`${base}/api/live/${model}/ws`);
    const queue: unknown[] = [];
    const waiters: ((m: unknown) => void)[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(false);
      const message: unknown = JSON.parse(data.toString('utf8'));
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
    const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise<unknown>((resolve) => waiters.push(resolve)));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, next, closed }));
      ws.once('error', reject);
    });
  }

  const send = (c: Client, rgb: Uint8Array, tClient: number, size = 172) => c.ws.send(encodeLiveFrame({ tClient, width: size, height: size, rgb }));
  const reply = async (c: Client): Promise<LiveReply> => {
    const m = await c.next();
    const r = LiveReplySchema.safeParse(m);
    if (!r.success) throw new Error(`expected a live reply, got ${JSON.stringify(m)}`);
    return r.data;
  };
  const refusal = async (c: Client): Promise<ErrorBody['error']> => ErrorBodySchema.parse(await c.next()).error;

  it('GET info describes the stream model as the page needs it', async () => {
    const res = await fetch(url(`/api/live/${MOVINET_ID}/info`));
    expect(res.status).toBe(200);
    const info = LiveModelInfoSchema.parse(await res.json());
    expect(info).toMatchObject({ id: MOVINET_ID, onnx_url: `/api/live/${MOVINET_ID}/onnx`, width: 172, height: 172, default_fps: 5, image_input: 'image', logits_output: 'logits' });
    expect(info.value_scale).toBeCloseTo(1 / 255, 12);
    expect(info.labels).toHaveLength(600);
    expect(info.labels).toContain('carving ice');
    expect(info.states).toHaveLength(13); // the converter's recorded wiring: each state output feeds its input
    for (const s of info.states) expect(s.output).toBe(`${s.input}_out`);
    const quantized = JSON.parse(info.quantized_inputs!) as Record<string, { scale: number; zero_point: number }>;
    // The image and the uint8 buffers take codes; the int32 frame counter is not quantized.
    expect(Object.keys(quantized).sort()).toEqual(['image', ...info.states.map((s) => s.input).filter((n) => n !== 'state_head_pool_frame_count')].sort());
  });

  it('GET onnx streams the converted file, revalidated by its sha256', async () => {
    const res = await fetch(url(`/api/live/${MOVINET_ID}/onnx`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(res.headers.get('etag')).toBe(`"${sha}"`);
    const again = await fetch(url(`/api/live/${MOVINET_ID}/onnx`), { headers: { 'if-none-match': `"${sha}"` } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it('refuses clip models, unknown ids and malformed ids with the catalogue codes', async () => {
    for (const route of ['info', 'onnx']) {
      const clip = await fetch(url(`/api/live/${clipModel}/${route}`));
      expect(clip.status).toBe(400);
      const clipBody = ErrorBodySchema.parse(await clip.json()).error;
      expect(clipBody.code).toBe('AL_ERR_NOT_A_STREAM_MODEL');
      expect(clipBody.hint).toContain(MOVINET_ID);

      const unknown = await fetch(url(`/api/live/no-such-model/${route}`));
      expect(unknown.status).toBe(404);
      expect(ErrorBodySchema.parse(await unknown.json()).error.code).toBe('AL_ERR_UNKNOWN_MODEL');

      const malformed = await fetch(url(`/api/live/Not%20An%20Id/${route}`));
      expect(malformed.status).toBe(400);
      expect(ErrorBodySchema.parse(await malformed.json()).error.code).toBe('AL_ERR_BAD_REQUEST');
    }
    const socket = await connect(clipModel);
    expect((await refusal(socket)).code).toBe('AL_ERR_NOT_A_STREAM_MODEL');
    expect(await socket.closed).toMatchObject({ code: 1008, reason: expect.stringMatching(/^AL_ERR_NOT_A_STREAM_MODEL: /) });
  });

  it('scores the clip frame by frame exactly as the node recognizer does', async () => {
    expect(reference.perFrame).toHaveLength(frames.length);
    const client = await connect(MOVINET_ID);
    const replies: LiveReply[] = [];
    for (let i = 0; i < frames.length; i++) {
      send(client, frames[i]!, 1000 + i * 200); // one at a time, as the page's loop does
      replies.push(await reply(client));
    }
    client.ws.close();
    expect((await client.closed).code).toBe(1005);

    expect(replies.map((r) => r.t_client)).toEqual(frames.map((_, i) => 1000 + i * 200));
    expect(replies.map((r) => r.topk[0]!.index)).toEqual(reference.perFrame);
    replies.forEach((r, i) => expect(r.topk[0]!.score).toBeCloseTo(reference.perFrameScore[i]!, 5)); // same scores, rounded
    for (const r of replies) {
      expect(r.topk).toHaveLength(sandbox.config.analysis.topk);
      expect(r.infer_ms).toBeGreaterThan(0);
    }
    expect(replies.at(-1)!.topk[0]!.label).toBe('carving ice');
    expect(reference.top1).toBe('carving ice');
  });

  it('keeps only the newest frame while it cannot keep up (here: while the session starts)', async () => {
    const client = await connect(MOVINET_ID);
    // Sent at once, right after the handshake: the session takes far longer to start than these take to arrive.
    for (let i = 0; i < 8; i++) send(client, frames[i]!, i);
    const first = await reply(client);
    expect(first.t_client).toBe(7);
    send(client, frames[8]!, 8);
    expect((await reply(client)).t_client).toBe(8); // nothing of frames 0..6 came in between
    client.ws.close();
    await client.closed;
  });

  it('closes with a clear reason on frames of the wrong size and on text messages', async () => {
    const wrongSize = await connect(MOVINET_ID);
    send(wrongSize, new Uint8Array(100 * 100 * 3), 1, 100);
    const error = await refusal(wrongSize);
    expect(error).toMatchObject({ code: 'AL_ERR_BAD_REQUEST', message: 'The frame is 100x100; this model takes 172x172 frames.' });
    expect(await wrongSize.closed).toEqual({ code: 1003, reason: 'AL_ERR_BAD_REQUEST: The frame is 100x100; this model takes 172x172 frames.' });

    const text = await connect(MOVINET_ID);
    text.ws.send('hello');
    expect((await refusal(text)).code).toBe('AL_ERR_BAD_REQUEST');
    expect((await text.closed).code).toBe(1003);

    const garbage = await connect(MOVINET_ID);
    garbage.ws.send(new Uint8Array(40));
    expect((await refusal(garbage)).message).toMatch(/^Not a valid live frame: /);
    expect((await garbage.closed).code).toBe(1003);
  });

  it(`refuses a live socket beyond ${MAX_SOCKETS} open ones, and takes one again when a slot frees`, async () => {
    const held = [await connect(MOVINET_ID), await connect(MOVINET_ID)];
    const extra = await connect(MOVINET_ID);
    const error = await refusal(extra);
    expect(error.code).toBe('AL_ERR_SERVER_BUSY');
    expect(error.message).toContain(`${MAX_SOCKETS} live sessions are already open`);
    expect((await extra.closed).code).toBe(1013);

    held[0]!.ws.close();
    await held[0]!.closed;
    // The server frees the slot when it sees the close; retry until it has.
    let accepted: LiveReply | undefined;
    for (let attempt = 0; attempt < 50 && !accepted; attempt++) {
      const c = await connect(MOVINET_ID);
      send(c, frames[0]!, 42);
      const m = await c.next();
      if (LiveReplySchema.safeParse(m).success) accepted = m as LiveReply;
      c.ws.close();
      await c.closed;
      if (!accepted) await new Promise((r) => setTimeout(r, 50));
    }
    expect(accepted?.t_client).toBe(42);
    held[1]!.ws.close();
    await held[1]!.closed;
  });

  it("the page's server engine (web/src/live/server-engine.ts) gets the same scores, and the server's refusals with code and hint", async () => {
    const pageUrl = `${url('')}/`;
    const openSocket = (u: string) => new WebSocket(u) as unknown as WebSocketLike;
    const engine = await connectServerEngine({ apiBase: '', token: null, model: MOVINET_ID, width: 172, height: 172, pageUrl, openSocket });
    const top1: number[] = [];
    for (let i = 0; i < frames.length; i++) {
      const r = await engine.step(frames[i]!, 5000 + i);
      expect(r.inferMs).toBeGreaterThan(0);
      top1.push(r.topk[0]!.index);
    }
    expect(top1).toEqual(reference.perFrame);
    engine.close();
    await expect(engine.step(frames[0]!, 1)).rejects.toMatchObject({ code: 'AL_ERR_ABORTED' });

    const clip = await connectServerEngine({ apiBase: '', token: null, model: clipModel, width: 172, height: 172, pageUrl, openSocket });
    const refused = await clip.step(frames[0]!, 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ActionLensError);
    expect(refused).toMatchObject({ code: 'AL_ERR_NOT_A_STREAM_MODEL', hint: expect.stringContaining(MOVINET_ID) });
  });

  it('follows a change of action on a camera that never stops (staggered windows), as the page engine does', async () => {
    // 20 s of arm wrestling, then 13 s of carving ice, frame after frame on one socket. With one stream
    // that is never restarted the label stays "arm wrestling" to the end (its average is dominated by
    // the first 100 frames); windows of 50 frames let the new action through within a window.
    const arm = await decodeModelFrames(media('arm_wrestling.mp4'));
    const sequence = [...arm, ...arm, ...frames, ...frames, ...frames];
    const client = await connect(MOVINET_ID);
    const server: string[] = [];
    for (let i = 0; i < sequence.length; i++) {
      send(client, sequence[i]!, i);
      server.push((await reply(client)).topk[0]!.label);
    }
    client.ws.close();
    await client.closed;

    const info = LiveModelInfoSchema.parse(await (await fetch(url(`/api/live/${MOVINET_ID}/info`))).json());
    const onnx = new Uint8Array(await (await fetch(url(info.onnx_url))).arrayBuffer());
    const web = await createOrtWebStream(info, onnx, { threads: 1 });
    const unwindowed = await createOrtWebStream(info, onnx, { threads: 1, windowFrames: 0 });
    const page: string[] = [];
    const single: string[] = [];
    try {
      for (const f of sequence) {
        page.push(info.labels[argmax((await web.step(f)).logits)]!);
        single.push(info.labels[argmax((await unwindowed.step(f)).logits)]!);
      }
    } finally {
      await web.dispose();
      await unwindowed.dispose();
    }
    const switchAt = arm.length * 2;
    console.log(`[live window] server: ${runs(server)}\n[live window] page:   ${runs(page)}\n[live window] single stream: ${runs(single)}`);
    expect(server.slice(0, switchAt).filter((l) => l === 'arm wrestling').length).toBeGreaterThan(switchAt * 0.9);
    expect(server.at(-1)).toBe('carving ice');
    expect(page.at(-1)).toBe('carving ice');
    const firstCarving = server.indexOf('carving ice', switchAt);
    expect(firstCarving).toBeGreaterThanOrEqual(switchAt);
    expect(firstCarving - switchAt).toBeLessThanOrEqual(WINDOW_FRAMES);
    expect(single.at(-1)).toBe('arm wrestling'); // what a single, never restarted stream would still say
    // The two engines run the same windows: they disagree at most on a few near-tied frames.
    expect(server.filter((l, i) => l !== page[i]).length).toBeLessThanOrEqual(sequence.length * 0.05);
  });
});

/** "a x3 | b x5": a label sequence as runs. */
function runs(labels: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < labels.length; ) {
    let j = i;
    while (j < labels.length && labels[j] === labels[i]) j++;
    out.push(`${labels[i]} x${j - i}`);
    i = j;
  }
  return out.join(' | ');
}
