#!/usr/bin/env node
// End-to-end throughput of the engine (createRecognizer -> analyze): a 60 s 1280x720 h264 clip with
// real motion at the model's own 5 fps, and a short clip at every frame ('all'). Reports video
// seconds analysed per wall second and the per-stage split from the result document's `timings`.
//
//   node bench/e2e-throughput.mjs [--seconds 60] [--short-seconds 5]
//
// The clips are made once with ffmpeg (a shared clip looped and scaled up) and kept in bench/out/.
// Models come from the ../shared/models mirror into a temp cache (converted there); the result
// cache is off so every run decodes and infers. Prints one JSON object. Needs `npm run build`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FFMPEG_PATH } from './lib/ffmpeg-frames.mjs';
import { importDist, REPO_ROOT } from './lib/dist-import.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const CLIP_DIR = path.join(REPO_ROOT, 'bench/out');
const SOURCE_CLIP = path.join(SHARED_DIR, 'media/arm_wrestling.mp4');
const STAGES = ['decode_ms', 'transform_ms', 'infer_ms', 'postprocess_ms'];

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.slice(-500)}`))));
  });
}

/** A `seconds`-long 1280x720 30 fps h264 clip: the shared arm-wrestling clip looped and scaled; cached by name. */
export async function makeClip(seconds) {
  const file = path.join(CLIP_DIR, `e2e_${seconds}s_1280x720.mp4`);
  if (existsSync(file)) return file;
  if (!existsSync(SOURCE_CLIP)) throw new Error(`Source clip ${SOURCE_CLIP} not found: the bench needs the ../shared mirror.`);
  mkdirSync(CLIP_DIR, { recursive: true });
  const tmp = `${file}.tmp.mp4`;
  await run(FFMPEG_PATH, ['-v', 'error', '-y', '-stream_loop', '-1', '-i', SOURCE_CLIP, '-t', String(seconds),
    '-vf', 'scale=1280:720:flags=bicubic,fps=30', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-an', tmp]);
  renameSync(tmp, file); // only a finished clip gets the cached name
  return file;
}

const round = (x, digits = 3) => Number(x.toFixed(digits));

/** Analyses `videoPath` once (after a warm-up video, so model load is not counted) and summarises. */
async function measure(recognizer, videoPath) {
  let frames = 0;
  const t0 = performance.now();
  const { document } = await recognizer.analyze(videoPath, { onFrame: () => { frames++; } });
  const wallSec = (performance.now() - t0) / 1000;
  const t = document.timings;
  const stageMs = Object.fromEntries(STAGES.map((s) => [s, round(t[s] ?? 0, 1)]));
  const stageSum = STAGES.reduce((a, s) => a + (t[s] ?? 0), 0);
  return {
    video: path.basename(videoPath),
    video_seconds: round(document.source.duration_s, 2),
    frames_inferred: frames,
    // Send-to-reply time of a step, which includes waiting behind the decoder when it is the slower stage.
    infer_ms_per_frame: round((t.infer_ms ?? 0) / frames),
    decode_ms_per_frame: round((t.decode_ms ?? 0) / frames),
    wall_seconds: round(wallSec, 2),
    video_seconds_per_wall_second: round(document.source.duration_s / wallSec, 2),
    // Decoding frame n+1 overlaps inferring frame n, so the stages can add up to more than the total.
    timings_ms: { ...stageMs, stages_sum_ms: round(stageSum, 1), total_ms: round(t.total_ms, 1) },
    stage_share: Object.fromEntries(STAGES.map((s) => [s.replace('_ms', ''), round((t[s] ?? 0) / t.total_ms, 3)])),
    top1: document.aggregate.topk[0]?.label ?? null,
  };
}

async function withRecognizer(sampleFps, cacheDir, body) {
  const { resolveConfig } = await importDist('config/index.js');
  const { createRecognizer } = await importDist('app/recognizer.js');
  const { config } = await resolveConfig({
    useShippedConfig: false,
    env: {}, // ignore the user's own config file
    overrides: {
      analysis: { sample_fps: sampleFps },
      store: { cache_dir: cacheDir, mirrors: [path.join(SHARED_DIR, 'models'), path.join(SHARED_DIR, 'labels')], offline: true },
      result_cache: { enabled: false },
      log_level: 'warn',
    },
  });
  const recognizer = await createRecognizer(config);
  try {
    return await body(recognizer, config);
  } finally {
    await recognizer.close();
  }
}

export async function runE2eThroughput({ seconds = 60, shortSeconds = 5 } = {}) {
  const longClip = await makeClip(seconds);
  const shortClip = await makeClip(shortSeconds);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-e2e-'));
  try {
    const atModelFps = await withRecognizer(5, cacheDir, async (recognizer) => {
      await recognizer.analyze(shortClip); // pays download/convert/load once
      return measure(recognizer, longClip);
    });
    const everyFrame = await withRecognizer('all', cacheDir, async (recognizer) => {
      await recognizer.analyze(shortClip);
      return measure(recognizer, shortClip);
    });
    return {
      bench: 'e2e-throughput',
      method: 'createRecognizer + analyze on a warm recognizer (model already loaded), result cache off; timings from the result document',
      sample_fps_5: atModelFps,
      sample_fps_all: everyFrame,
      machine: machineInfo(),
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, 'short-seconds': { type: 'string', default: '5' } } });
  const seconds = Number(values.seconds);
  const shortSeconds = Number(values['short-seconds']);
  for (const [flag, v] of [['--seconds', seconds], ['--short-seconds', shortSeconds]]) {
    if (!Number.isInteger(v) || v < 1 || v > 3600) throw new Error(`${flag} is '${v}'; use a whole number of seconds in [1, 3600].`);
  }
  runE2eThroughput({ seconds, shortSeconds })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => { process.stderr.write(`e2e-throughput: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
}
