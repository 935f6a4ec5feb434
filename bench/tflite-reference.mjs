#!/usr/bin/env node
// The TFLite reference runtime (tfjs-tflite 0.0.1-alpha.10 WASM, in plain Node) for MoViNet-A0 stream:
// the runtime that made the fixtures, so ONNX Runtime timings can be set beside it on the same frames.
//
//   node bench/tflite-reference.mjs [video] [--fps 5|all] [--threads 1] [--runs 3] [--warmup 64] [--model file.tflite]
//
// Prints one JSON object on stdout; progress and the fixture comparison summary go to stderr.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeRgbFrames, movinetDecodeArgs, rgb24ToUnitFloat } from './lib/ffmpeg-frames.mjs';
import { compareWithFixture, softmax, topK } from './lib/fixture-compare.mjs';
import { summarizeLatencies } from './lib/latency-stats.mjs';
import { createTfliteStream } from './lib/tflite-stream.mjs';

export { createTfliteStream };

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Optional local mirror of models, clips and fixtures; the bench only reads it for its defaults.
const SHARED_DIR = process.env.ACTIONLENS_SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
const DEFAULT_MODEL = path.join(SHARED_DIR, 'models/movinet_a0_stream_int8_kinetics600.tflite');
const DEFAULT_VIDEO = path.join(SHARED_DIR, 'media/carving_ice.mp4');
const LABELS_FILE = path.join(SHARED_DIR, 'labels/kinetics600.txt');
const THREADS_SUPPORTED = {
  1: 'tflite_web_api_cc_simd (the non-threaded SIMD build the fixtures were made with)',
  '>1': 'tflite_web_api_cc_simd_threaded, its pthreads on worker_threads through a small Worker shim',
};

function parseCli(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fps: { type: 'string', default: 'all' },
      threads: { type: 'string', default: '1' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '64' },
      model: { type: 'string', default: DEFAULT_MODEL },
    },
  });
  if (positionals.length > 1) throw new Error(`Expected at most one video path, got ${positionals.length}: ${positionals.join(' ')}`);
  const fps = values.fps === 'all' ? 'all' : Number(values.fps);
  if (fps !== 'all' && !(Number.isFinite(fps) && fps > 0)) throw new Error(`--fps is '${values.fps}'; use 'all' or a positive number such as 5.`);
  const threads = Number(values.threads);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs is '${values.runs}'; use an integer in [1, 100].`);
  const warmupFrames = Number(values.warmup);
  if (!Number.isInteger(warmupFrames) || warmupFrames < 0) throw new Error(`--warmup is '${values.warmup}'; use a whole number of frames >= 0.`);
  return { videoPath: path.resolve(positionals[0] ?? DEFAULT_VIDEO), fps, threads, runs, warmupFrames, modelPath: path.resolve(values.model) };
}

/** The fixture for this clip and fps when the shared mirror has one: `<clip>_fps<all|5>.json`. */
function findFixture(videoPath, fps) {
  const clip = path.basename(videoPath, path.extname(videoPath));
  const file = path.join(SHARED_DIR, 'fixtures/movinet', `${clip}_fps${fps}.json`);
  return existsSync(file) ? { file, fixture: JSON.parse(readFileSync(file, 'utf8')) } : null;
}

function runPass(stream, inputs) {
  stream.reset();
  const logitsPerFrame = [];
  const msPerFrame = [];
  for (const input of inputs) {
    const t0 = performance.now();
    logitsPerFrame.push(stream.step(input));
    msPerFrame.push(performance.now() - t0);
  }
  return { logitsPerFrame, msPerFrame };
}

function sameLogits(a, b) {
  return a.length === b.length && a.every((logits, f) => logits.every((v, i) => Object.is(v, b[f][i])));
}

/**
 * Decodes the clip, runs it once from zero states (compared with the fixture, if any), warms up to
 * `warmupFrames` steps in all, then times `runs` more passes frame by frame.
 */
export async function runBenchmark({ videoPath, fps = 'all', threads = 1, runs = 3, warmupFrames = 64, modelPath = DEFAULT_MODEL }) {
  const found = findFixture(videoPath, fps);
  const [height, width] = [172, 172];
  // The fixture's own ffmpeg arguments when there is one, so the frames are the ones it saw.
  const args = found ? found.fixture.decode.args : movinetDecodeArgs({ fps });
  const frames = await decodeRgbFrames({ videoPath, args, width, height });
  const inputs = frames.map(rgb24ToUnitFloat); // each [1, 1, 172, 172, 3]

  const stream = await createTfliteStream({ modelPath, threads });
  try {
    // First pass from zero states: the logits compared with the fixture; it counts as warm-up too.
    const reference = runPass(stream, inputs);
    let warmedFrames = inputs.length;
    for (; warmedFrames < warmupFrames; warmedFrames += inputs.length) runPass(stream, inputs);
    const timed = [];
    let deterministic = true;
    for (let r = 0; r < runs; r++) {
      const pass = runPass(stream, inputs);
      timed.push(...pass.msPerFrame);
      deterministic &&= sameLogits(pass.logitsPerFrame, reference.logitsPerFrame);
    }
    const labels = existsSync(LABELS_FILE) ? readFileSync(LABELS_FILE, 'utf8').split('\n') : [];
    const [top1] = topK(softmax(reference.logitsPerFrame.at(-1)), 1);
    const comparison = found ? compareWithFixture(found.fixture, { frames, logitsPerFrame: reference.logitsPerFrame }) : null;
    return {
      runtime: 'tfjs-tflite 0.0.1-alpha.10 TFLite WASM (Node)',
      wasm_build: stream.build,
      threads,
      threads_supported: THREADS_SUPPORTED,
      model: path.basename(modelPath),
      video: path.basename(videoPath),
      fps,
      frames: frames.length,
      runs,
      warmup_frames: warmedFrames,
      ms_per_frame: summarizeLatencies(timed),
      first_pass_ms_per_frame: summarizeLatencies(reference.msPerFrame).mean,
      deterministic,
      final_top1: { index: top1.index, label: labels[top1.index] ?? null, prob: Number(top1.prob.toFixed(6)) },
      fixture_match: comparison ? comparison.match : null,
      fixture: found ? { file: path.basename(found.file), ms_per_frame: found.fixture.ms_total / found.fixture.num_frames, comparison } : null,
      node: process.version,
    };
  } finally {
    stream.close();
  }
}

async function main() {
  const options = parseCli(process.argv.slice(2));
  const result = await runBenchmark(options);
  if (result.fixture) {
    const c = result.fixture.comparison;
    process.stderr.write(`fixture ${result.fixture.file}: frames ${c.frames.ours}/${c.frames.fixture}, ` +
      `input bytes identical ${c.input_frames_identical.identical}, top-5 indices ${c.top5_index_match}, ` +
      `top-5 probs equal (6 digits) ${c.top5_probs_equal_at_6_digits}, logits of frames [${c.full_logits_frames}] ` +
      `equal (7 digits) ${c.full_logits_equal_at_7_digits} -> ${c.match ? 'MATCH' : 'MISMATCH'}\n`);
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  main().catch((error) => {
    process.stderr.write(`tflite-reference: ${error.message}\n`);
    process.exitCode = 1;
  });
}
