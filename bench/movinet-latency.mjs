#!/usr/bin/env node
// Per-frame latency of MoViNet-A0 stream: ONNX Runtime (in-process and through the engine's worker
// session) beside the TFLite WASM reference runtime, on the same decoded frames, with the same
// thread count, passes interleaved (A/B/C, then B/C/A, ...) so machine noise hits every runtime.
//
//   node bench/movinet-latency.mjs [--threads 1,2] [--passes 3] [--clips carving_ice,arm_wrestling] [--model file.tflite]
//
// Prints one JSON object on stdout; progress goes to stderr. Needs `npm run build` (uses dist/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeRgbFrames, movinetDecodeArgs, rgb24ToUnitFloat } from './lib/ffmpeg-frames.mjs';
import { summarizeLatencies } from './lib/latency-stats.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { convertMovinetToOnnx, createOrtStream, createWorkerStream } from './lib/onnx-movinet-stream.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';
import { createTfliteStream } from './lib/tflite-stream.mjs';

const DEFAULT_MODEL = path.join(SHARED_DIR, 'models/movinet_a0_stream_int8_kinetics600.tflite');
const DEFAULT_CLIPS = ['carving_ice', 'arm_wrestling'];
const SIZE = 172;
// Frames each runtime steps before the next takes its turn (about 0.1 s of work).
const BLOCK_FRAMES = 32;

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      threads: { type: 'string', default: '1,2' },
      passes: { type: 'string', default: '3' },
      clips: { type: 'string', default: DEFAULT_CLIPS.join(',') },
      model: { type: 'string', default: DEFAULT_MODEL },
    },
  });
  const threads = values.threads.split(',').map(Number);
  if (threads.some((t) => !Number.isInteger(t) || t < 1 || t > 64)) throw new Error(`--threads is '${values.threads}'; use a comma list of integers in [1, 64], e.g. 1,2.`);
  const passes = Number(values.passes);
  if (!Number.isInteger(passes) || passes < 1 || passes > 50) throw new Error(`--passes is '${values.passes}'; use an integer in [1, 50].`);
  return { threads, passes, clips: values.clips.split(',').filter(Boolean), modelPath: path.resolve(values.model) };
}

/** Frames of `<clip>.mp4` decoded with the fps=all fixture's own ffmpeg arguments (as the fixtures saw them). */
async function decodeClip(clip) {
  const videoPath = path.join(SHARED_DIR, 'media', `${clip}.mp4`);
  const fixtureFile = path.join(SHARED_DIR, 'fixtures/movinet', `${clip}_fpsall.json`);
  const args = existsSync(fixtureFile) ? JSON.parse(readFileSync(fixtureFile, 'utf8')).decode.args : movinetDecodeArgs({ fps: 'all' });
  const frames = await decodeRgbFrames({ videoPath, args, width: SIZE, height: SIZE });
  return { clip, inputs: frames }; // rgb24, each [172, 172, 3]; every runtime encodes them its own way
}

function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** One untimed pass over every clip from zero states: the top-1 of each frame (also the warm-up). */
async function referencePass(runtime, clips) {
  const top1 = [];
  for (const { inputs } of clips) {
    await runtime.reset();
    for (const frame of inputs) top1.push(argmax(await runtime.step(runtime.encode(frame))));
  }
  return top1;
}

/**
 * One timed pass over every clip, all runtimes interleaved: each runtime keeps its own states and
 * steps a block of frames in turn (order rotating per block), so load from other processes falls on
 * all of them alike while each still runs consecutive frames, as in real use.
 */
async function interleavedPass(runtimes, clips, { samples, cpuSamples }, blockFrames, rotation) {
  const names = Object.keys(runtimes);
  let block = rotation;
  for (const { inputs } of clips) {
    for (const name of names) await runtimes[name].reset();
    for (let start = 0; start < inputs.length; start += blockFrames, block++) {
      const frames = inputs.slice(start, start + blockFrames);
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + block) % names.length];
        const runtime = runtimes[name];
        for (const frame of frames) {
          const input = runtime.encode(frame); // outside the timing, as the engine's transform stage
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await runtime.step(input);
          samples[name].push(performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpuSamples[name].push((c.user + c.system) / 1000);
        }
      }
    }
  }
}

function agreement(a, b) {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return { agree: same, frames: a.length, fraction: Number((same / a.length).toFixed(4)) };
}

async function benchThreads(threads, { passes, blockFrames, clips, modelPath, onnx }) {
  const runtimes = {
    tflite: { ...(await createTfliteStream({ modelPath, threads })), encode: rgb24ToUnitFloat },
    ort_in_process: await createOrtStream({ onnx: onnx.onnx, conversion: onnx.conversion, threads }),
    ort_worker: await createWorkerStream({ onnxPath: onnx.onnxPath, conversion: onnx.conversion, threads }),
  };
  const names = Object.keys(runtimes);
  try {
    const reference = {};
    for (const name of names) reference[name] = await referencePass(runtimes[name], clips);
    const samples = Object.fromEntries(names.map((n) => [n, []]));
    const cpuSamples = Object.fromEntries(names.map((n) => [n, []]));
    for (let p = 0; p < passes; p++) {
      process.stderr.write(`threads ${threads}: timed pass ${p + 1}/${passes}\n`);
      await interleavedPass(runtimes, clips, { samples, cpuSamples }, blockFrames, p);
    }
    const stats = Object.fromEntries(names.map((n) => [n, {
      ms_per_frame: summarizeLatencies(samples[n]),
      // CPU time of the whole process during the step (all its threads): barely moved by other
      // processes' load, but counts spin-waiting of idle pool threads when threads > 1.
      cpu_ms_per_frame: summarizeLatencies(cpuSamples[n]),
    }]));
    stats.tflite.build = runtimes.tflite.build;
    const ratio = (a, b) => Number((a / b).toFixed(3));
    return {
      threads,
      runtimes: stats,
      speedup_p50: ratio(stats.tflite.ms_per_frame.p50, stats.ort_in_process.ms_per_frame.p50),
      speedup_p50_worker: ratio(stats.tflite.ms_per_frame.p50, stats.ort_worker.ms_per_frame.p50),
      speedup_mean: ratio(stats.tflite.ms_per_frame.mean, stats.ort_in_process.ms_per_frame.mean),
      speedup_min: ratio(stats.tflite.ms_per_frame.min, stats.ort_in_process.ms_per_frame.min),
      speedup_cpu_p50: ratio(stats.tflite.cpu_ms_per_frame.p50, stats.ort_in_process.cpu_ms_per_frame.p50),
      worker_hop_ms_p50: Number((stats.ort_worker.ms_per_frame.p50 - stats.ort_in_process.ms_per_frame.p50).toFixed(3)),
      top1_agreement: {
        ort_vs_tflite: agreement(reference.ort_in_process, reference.tflite),
        worker_vs_in_process: agreement(reference.ort_worker, reference.ort_in_process),
      },
    };
  } finally {
    for (const runtime of Object.values(runtimes)) await runtime.close();
  }
}

/** Runs the whole comparison; returns the JSON-ready result. */
export async function runMovinetLatency({ threads = [1, 2], passes = 3, blockFrames = BLOCK_FRAMES, clips = DEFAULT_CLIPS, modelPath = DEFAULT_MODEL } = {}) {
  if (!existsSync(modelPath)) throw new Error(`Model not found: ${modelPath}. Pass --model or provide the ../shared mirror.`);
  const loadStart = machineInfo().load_average;
  const decoded = [];
  for (const clip of clips) decoded.push(await decodeClip(clip));
  const onnx = await convertMovinetToOnnx(modelPath);
  try {
    const results = [];
    for (const t of threads) results.push(await benchThreads(t, { passes, blockFrames, clips: decoded, modelPath, onnx }));
    return {
      bench: 'movinet-latency',
      model: path.basename(modelPath),
      converter_version: onnx.conversion.converterVersion,
      onnx_nodes: onnx.conversion.nodeCount,
      convert_ms: Number(onnx.convertMs.toFixed(1)),
      clips: decoded.map((d) => ({ clip: d.clip, frames: d.inputs.length })),
      frames: decoded.reduce((n, d) => n + d.inputs.length, 0),
      passes,
      block_frames: blockFrames,
      method: `per frame: wall time of one step (states fed back); one untimed warm-up pass per runtime, then timed passes where the runtimes take turns every ${blockFrames} frames in rotating order`,
      results,
      machine: { ...machineInfo(), load_average_start: loadStart },
    };
  } finally {
    onnx.dispose();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  runMovinetLatency(parseCli(process.argv.slice(2)))
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      // The threaded TFLite build parks idle pthreads; do not wait on them.
      process.exit(0);
    })
    .catch((error) => {
      process.stderr.write(`movinet-latency: ${error.stack ?? error.message}\n`);
      process.exit(1);
    });
}
