// The page's engine (web/src/live/ort-web-stream.ts: onnxruntime-web, WASM backend, run here in
// Node) against the server's (onnxruntime-node in the inference worker, states fed back there) on the
// frames of carving_ice.mp4: the same decision on every frame and logits within a few quantisation
// steps. The one exception allowed is a near tie: on the frame where the clip's label switches
// (frame 4), onnxruntime-web has the two labels exactly tied and onnxruntime-node one step apart. Both get the LiveModelInfo the server's info route builds, so the wiring is tested too.
//
// Tolerance: the logits are int8 codes times 0.19; the two builds run different int8 kernels and may
// round a layer's output one step apart, which the network can amplify (see
// tests/parity/movinet-tflite.test.ts for the same noise floor between ONNX Runtime and TFLite).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveModelInfo } from '../../src/core/api/index.js';
import { createStreamFrameEncoder } from '../../src/core/frame-to-tensor.js';
import { argmax } from '../../src/core/postprocess/index.js';
import { onnxModelInterface, openModelStream } from '../../src/app/open-model-stream.js';
import type { PreparedModel } from '../../src/app/prepare-model.js';
import { createInferenceSession, type InferenceSession } from '../../src/runtime/session.js';
import { liveModelInfo } from '../../src/server/live-routes.js';
import { createOrtWebStream, type OrtWebStream } from '../../web/src/live/ort-web-stream.js';
import { decodeModelFrames, haveSharedData, makeLiveSandbox, media, MOVINET_ID, type LiveSandbox } from './live-fixtures.js';

const LOGIT_STEP = 0.189976; // output quantisation scale of MoViNet-A0 int8's logits
const MAX_STEPS = 24;
const MEAN_STEPS = 4;

describe.skipIf(!haveSharedData)('in-page engine (onnxruntime-web) vs server engine (onnxruntime-node)', () => {
  let sandbox: LiveSandbox;
  let prepared: PreparedModel;
  let session: InferenceSession;
  let info: LiveModelInfo;
  let web: OrtWebStream;
  let frames: Uint8Array[];

  beforeAll(async () => {
    sandbox = makeLiveSandbox('ort-web-parity');
    prepared = await sandbox.prepare(MOVINET_ID);
    session = await createInferenceSession(prepared.onnxPath, { threads: 1 });
    info = liveModelInfo(prepared, session.info);
    web = await createOrtWebStream(info, readFileSync(prepared.onnxPath), { threads: 1 });
    frames = await decodeModelFrames(media('carving_ice.mp4'), info.width, info.default_fps);
  });
  afterAll(async () => {
    await web?.dispose();
    await session?.close();
    sandbox?.cleanup();
  });

  /** Every frame through the node worker's stream, from zero states. */
  async function nodeLogits(): Promise<Float32Array[]> {
    const stream = await openModelStream(prepared.spec, session);
    const { quantization } = stream.image;
    const encode = createStreamFrameEncoder({ width: info.width, height: info.height, valueScale: info.value_scale, ...(quantization ? { quantization } : {}) });
    const out: Float32Array[] = [];
    for (const data of frames) {
      const t = await stream.step(encode({ index: 0, ptsSec: 0, width: info.width, height: info.height, data }));
      out.push(t.data as Float32Array);
    }
    return out;
  }

  async function webLogits(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const f of frames) out.push((await web.step(f)).logits);
    return out;
  }

  it('the info the server serves (from the decoded ONNX, no runtime) equals what the loaded session reports', () => {
    expect(liveModelInfo(prepared, onnxModelInterface(new Uint8Array(readFileSync(prepared.onnxPath))))).toEqual(info);
  });

  it('agrees on the top-1 of every frame but exact near ties, logits within the int8 noise floor', async () => {
    const [want, got] = [await nodeLogits(), await webLogits()];
    expect(got).toHaveLength(frames.length);
    let maxSteps = 0;
    let sumSteps = 0;
    const nearTies: number[] = [];
    for (let i = 0; i < frames.length; i++) {
      expect(got[i]!.length).toBe(600);
      const [a, b] = [argmax(want[i]!), argmax(got[i]!)];
      if (a !== b) {
        // A different top-1 only where both engines have the two labels within one step (a near tie).
        nearTies.push(i);
        expect(Math.abs(want[i]![a]! - want[i]![b]!), `frame ${i}: node margin of ${a} over ${b}`).toBeLessThanOrEqual(LOGIT_STEP * 1.001);
        expect(Math.abs(got[i]![a]! - got[i]![b]!), `frame ${i}: web margin of ${b} over ${a}`).toBeLessThanOrEqual(LOGIT_STEP * 1.001);
      }
      for (let c = 0; c < 600; c++) {
        const d = Math.abs(got[i]![c]! - want[i]![c]!) / LOGIT_STEP;
        maxSteps = Math.max(maxSteps, d);
        sumSteps += d;
      }
    }
    const meanSteps = sumSteps / (frames.length * 600);
    console.log(`[ort-web parity] ${frames.length} frames: max |diff| ${maxSteps.toFixed(2)} steps, mean ${meanSteps.toFixed(3)} steps; top-1 differs on near ties only: [${nearTies.join(', ')}]`);
    expect(nearTies.length).toBeLessThanOrEqual(1); // a transition frame at most, not a drift
    expect(maxSteps).toBeLessThanOrEqual(MAX_STEPS);
    expect(meanSteps).toBeLessThanOrEqual(MEAN_STEPS);
    expect(info.labels[argmax(got.at(-1)!)]).toBe('carving ice');
  });

  it('reset() starts the stream again from zero states', async () => {
    const first = (await web.step(frames[0]!)).logits.slice(); // after the whole clip: carried state
    web.reset();
    const fresh = (await web.step(frames[0]!)).logits;
    const [want] = await nodeLogits().then((all) => all.slice(0, 1));
    let maxSteps = 0;
    for (let c = 0; c < 600; c++) maxSteps = Math.max(maxSteps, Math.abs(fresh[c]! - want![c]!) / LOGIT_STEP);
    expect(maxSteps).toBeLessThanOrEqual(MAX_STEPS);
    // The carried state does change the scores: otherwise this test could not tell a reset happened.
    expect(first.some((v, c) => Math.abs(v - want![c]!) > LOGIT_STEP)).toBe(true);
  });
});
