#!/usr/bin/env node
// Where ONNX Runtime spends a MoViNet-A0 stream frame: runs the converted model with ORT's profiler
// on real frames and sums kernel time per op type (after ORT's graph optimisations, so fused
// kernels such as QLinearConv show up as such), plus the op counts of the optimised graph.
//
//   node bench/onnx-profile.mjs [--frames 64] [--threads 1] [--model file.tflite]
//
// Prints one JSON object on stdout. Needs `npm run build` (uses dist/).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { decodeRgbFrames, movinetDecodeArgs } from './lib/ffmpeg-frames.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { convertMovinetToOnnx, imageEncoderFor, zerosFor } from './lib/onnx-movinet-stream.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const DEFAULT_MODEL = path.join(SHARED_DIR, 'models/movinet_a0_stream_int8_kinetics600.tflite');
const VIDEO = path.join(SHARED_DIR, 'media/arm_wrestling.mp4');

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      frames: { type: 'string', default: '64' },
      threads: { type: 'string', default: '1' },
      model: { type: 'string', default: DEFAULT_MODEL },
    },
  });
  const frames = Number(values.frames);
  const threads = Number(values.threads);
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`--frames is '${values.frames}'; use an integer >= 2.`);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads is '${values.threads}'; use an integer >= 1.`);
  return { frames, threads, modelPath: path.resolve(values.model) };
}

/** Sums the profiler's kernel events per op type; the first frame (allocation, warm-up) is skipped. */
function summarizeProfile(events, frames) {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const firstRunEnd = runs.length ? runs[0].ts + runs[0].dur : 0;
  const perOp = new Map();
  let kernelUs = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < firstRunEnd) continue;
    const type = e.args?.op_name ?? 'unknown';
    const entry = perOp.get(type) ?? { op: type, calls: 0, us: 0 };
    entry.calls++;
    entry.us += e.dur;
    perOp.set(type, entry);
    kernelUs += e.dur;
  }
  const timedFrames = frames - 1;
  const runUs = runs.slice(1).reduce((a, r) => a + r.dur, 0);
  const table = [...perOp.values()]
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ op: e.op, nodes: e.calls / timedFrames, ms_per_frame: Number((e.us / timedFrames / 1000).toFixed(4)), share: Number((e.us / kernelUs).toFixed(3)) }));
  return {
    run_ms_per_frame: Number((runUs / timedFrames / 1000).toFixed(3)),
    kernel_ms_per_frame: Number((kernelUs / timedFrames / 1000).toFixed(3)),
    per_op: table,
  };
}

export async function runOnnxProfile({ frames = 64, threads = 1, modelPath = DEFAULT_MODEL } = {}) {
  const rgb = await decodeRgbFrames({ videoPath: VIDEO, args: movinetDecodeArgs({ fps: 'all' }), width: 172, height: 172 });
  const onnx = await convertMovinetToOnnx(modelPath);
  const encode = await imageEncoderFor(onnx.conversion);
  const inputs = rgb.slice(0, frames);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-profile-'));
  try {
    const optimizedPath = path.join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(onnx.onnx, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      enableProfiling: true,
      profileFilePrefix: path.join(dir, 'profile'),
      optimizedModelFilePath: optimizedPath,
    });
    const { inputs: signatures, stateNames } = onnx.conversion;
    const image = signatures.find((i) => i.name === 'image');
    let states = Object.fromEntries(signatures.filter((i) => i.name !== 'image').map((i) => [i.name, zerosFor(i)]));
    for (const frame of inputs) {
      const out = await session.run({ ...states, image: new ort.Tensor(image.dtype, encode(frame), image.shape) });
      states = Object.fromEntries(stateNames.map((s) => [s.input, out[s.output]]));
    }
    session.endProfiling();
    await session.release();
    const profileFile = readdirSync(dir).find((f) => f.startsWith('profile') && f.endsWith('.json'));
    const events = JSON.parse(readFileSync(path.join(dir, profileFile), 'utf8'));
    const optimizedOps = await countOps(optimizedPath);
    return {
      bench: 'onnx-profile',
      converter_version: onnx.conversion.converterVersion,
      threads,
      frames: inputs.length,
      converted_nodes: onnx.conversion.nodeCount,
      optimized_graph_ops: optimizedOps,
      ...summarizeProfile(events, inputs.length),
      machine: machineInfo(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    onnx.dispose();
  }
}

/** Op type counts of an ONNX file (the optimised graph ORT saved). */
async function countOps(file) {
  const { readOnnxOpTypes } = await import('./lib/onnx-op-types.mjs');
  const counts = {};
  for (const op of readOnnxOpTypes(readFileSync(file))) counts[op] = (counts[op] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  runOnnxProfile(parseCli(process.argv.slice(2)))
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error) => {
      process.stderr.write(`onnx-profile: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    });
}
