#!/usr/bin/env node
// Whole-video prediction with MMAction2's full test protocol, set against MMAction2's own
// `inference_recognizer` (../shared/fixtures/mmaction2-baseline.md) for the baseline table's rows:
// TSN-R50 8 clips CenterCrop and 25 clips x TenCrop, TSM-R50 8 clips x TenCrop, X3D-S 10 clips x
// ThreeCrop, SlowOnly-R50 8x8 and SlowFast-R50 4x16 10 clips x ThreeCrop; in float32 and in int8
// (runtime.precision 'int8', calibrated on carving_ice.mp4, a clip the figures are not taken on).
// Each zoo entry gets a golden-weight checkpoint written to a temp folder beside its spec file.
// Two fresh child processes per model and video, so each peak RSS belongs to one thing:
//  1. `engine`: createRecognizer + analyze (clip_protocol 'full', cold: converts the .pth, loads the
//     session). Its result document also holds the timeline windows, which the protocol adds to.
//  2. `protocol`: the engine's protocol step alone (runClipProtocol on the converted ONNX in the
//     engine's worker session): what inference_recognizer does, so the figures compare one to one.
//     pipeline = decode + transform (SampleFrames, decode, resize, crops, normalise, format);
//     model = infer + postprocess (forward of every view chunk, average_clip).
//
//   node bench/mmaction2-e2e.mjs [--videos arm_wrestling,stretching_1080p] [--models tsn,tsn25,tsm,x3d,slowonly,slowfast]
//                                [--precision fp32,int8] [--threads 2]
// On stretching_1080p MMAction2 was only timed for its pipeline; `mmaction2_end_to_end_estimate_s`
// adds its arm_wrestling model time (same views, same network) to that.
//
// Prints one JSON object. Needs `npm run build` and the ../shared media.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify as stringifyYaml } from 'yaml';
import { importDist } from './lib/dist-import.mjs';
import { declaredEntries, writeGoldenCheckpointFile } from './lib/golden-checkpoint.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { MMACTION2_E2E_ARM_WRESTLING, MMACTION2_PIPELINE_1080P_S } from './lib/mmaction2-baseline.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const SELF = fileURLToPath(import.meta.url);
const round = (x, digits = 3) => Number(x.toFixed(digits));

/** The baseline rows: a zoo entry, and how its test protocol differs from the zoo's, if it does. */
const CASES = {
  tsn: { name: 'tsn_r50_8clips_centercrop', zooId: 'tsn-r50-1x1x8-k400', clips: 8, crop: 'center' },
  tsn25: { name: 'tsn_r50_25x10', zooId: 'tsn-r50-1x1x8-k400' },
  tsm: { name: 'tsm_r50_8x10', zooId: 'tsm-r50-1x1x8-k400' },
  slowonly: { name: 'slowonly_r50_8x8_10x3', zooId: 'slowonly-r50-8x8x1-k400' },
  x3d: { name: 'x3d_s_10x3', zooId: 'x3d-s-13x6x1-k400' },
  slowfast: { name: 'slowfast_r50_4x16_10x3', zooId: 'slowfast-r50-4x16x1-k400' },
};
const CROP_STEPS = { center: 'CenterCrop', three: 'ThreeCrop', ten: 'TenCrop' };

/** The zoo spec with the case's protocol, pointed at `fileName` (a checkpoint in the spec's folder). */
async function caseSpec(testCase, fileName, sha256) {
  const { getModelSpec } = await importDist('models/zoo.js');
  const spec = getModelSpec(testCase.zooId);
  spec.id = `bench-${testCase.zooId}`;
  if (testCase.clips) {
    spec.input.num_clips = testCase.clips;
    spec.input.crop.mode = testCase.crop;
    const pipeline = spec.mmaction2.test_pipeline;
    pipeline.find((s) => s.type === 'SampleFrames').num_clips = testCase.clips;
    const crop = pipeline.find((s) => Object.values(CROP_STEPS).includes(s.type));
    crop.type = CROP_STEPS[testCase.crop];
  }
  spec.source = { urls: [], file_name: fileName, sha256, license: 'test data (golden weights)', converter: 'mmaction2-pth' };
  return spec;
}

/** Writes checkpoint + spec into `dir`; returns the spec path. */
async function prepareCase(testCase, dir) {
  const { viewShapeOf } = await importDist('models/converters/mmaction2/convert-checkpoint.js');
  const draft = await caseSpec(testCase, 'x', '0'.repeat(64));
  const fileName = `${testCase.name}.pth`;
  const file = path.join(dir, fileName);
  writeGoldenCheckpointFile(file, await declaredEntries(draft.mmaction2.model, viewShapeOf(draft, draft.mmaction2.model)));
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  const specPath = path.join(dir, `${testCase.name}.model.yaml`);
  writeFileSync(specPath, stringifyYaml(await caseSpec(testCase, fileName, sha256)));
  return specPath;
}

const secondsOf = (ms) => round(ms / 1000);

/** Child: the whole engine, cold (conversion and session load are in the document's timings). */
async function engineChild({ specPath, video, cacheDir, threads, precision, calibration }) {
  const { resolveConfig } = await importDist('config/index.js');
  const { createRecognizer } = await importDist('app/recognizer.js');
  const { config } = await resolveConfig({
    useShippedConfig: false,
    env: {},
    overrides: {
      model: specPath,
      analysis: { clip_protocol: 'full' },
      runtime: { threads, precision, calibration },
      store: { cache_dir: cacheDir, mirrors: [], offline: true },
      result_cache: { enabled: false },
      log_level: 'warn',
    },
  });
  const recognizer = await createRecognizer(config);
  try {
    const t0 = performance.now();
    const { document } = await recognizer.analyze(video);
    const wallMs = performance.now() - t0;
    const t = document.timings;
    return {
      wall_s: secondsOf(wallMs),
      end_to_end_s: secondsOf(wallMs - t.convert_ms - t.load_ms - t.download_ms - (t.quantize_ms ?? 0)), // model preparation left out, as in the baseline
      timings_s: Object.fromEntries(Object.entries(t).map(([k, v]) => [k.replace(/_ms$/, '_s'), secondsOf(v)])),
      timeline_windows: document.timeline.length,
      top1: document.aggregate.topk[0]?.label ?? null,
      aggregate_top5: document.aggregate.topk.map((s) => [s.index, s.score]),
    };
  } finally {
    await recognizer.close();
  }
}

/** Child: the protocol step alone, on the ONNX the engine child converted. */
async function protocolChild({ specPath, video, cacheDir, threads, precision }) {
  const { validateModelSpec } = await importDist('models/spec.js');
  const { clipGeometry } = await importDist('app/clip-input.js');
  const { runClipProtocol } = await importDist('app/clip-protocol.js');
  const { createInferenceSession } = await importDist('runtime/session.js');
  const { locateFfmpeg, probeVideo } = await importDist('video/index.js');
  const { parse } = await import('yaml');
  const spec = validateModelSpec(parse(readFileSync(specPath, 'utf8')), specPath);
  const onnxPath = findOnnx(cacheDir, precision);
  const tools = locateFfmpeg({});
  const session = await createInferenceSession(onnxPath, { threads });
  try {
    const t0 = performance.now();
    const info = await probeVideo(video, { tools });
    const result = await runClipProtocol({
      videoPath: video, info, geometry: clipGeometry(spec), ffmpeg: tools.ffmpeg,
      session, numClasses: spec.num_classes, viewAverage: spec.output.view_average,
    });
    const wallMs = performance.now() - t0;
    const t = result.timings;
    return {
      end_to_end_s: secondsOf(wallMs),
      pipeline_s: secondsOf(t.decode_ms + t.transform_ms),
      model_s: secondsOf(t.infer_ms + t.postprocess_ms),
      timings_s: Object.fromEntries(Object.entries(t).map(([k, v]) => [k.replace(/_ms$/, '_s'), secondsOf(v)])),
      views: result.views,
      sampled_frames: result.frameIndices.length,
      total_frames: result.totalFrames,
    };
  } finally {
    await session.close();
  }
}

/** The converted ONNX (fp32) or its int8 copy (named <fp32 sha>-qdq-int8-...). */
function findOnnx(dir, precision) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.onnx')) continue;
    if (entry.name.includes('-qdq-int8-') === (precision === 'int8')) return path.join(entry.parentPath ?? entry.path, entry.name);
  }
  throw new Error(`no ${precision} .onnx under ${dir}: the engine child must run first`);
}

function runChild(mode, args) {
  const r = spawnSync(process.execPath, [SELF, '--child', mode, '--args', JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} child exited with ${r.status}: ${r.stderr.slice(-1500)}`);
  return JSON.parse(r.stdout);
}

function versusBaseline(caseName, videoName, protocol) {
  const base = videoName === 'arm_wrestling' ? MMACTION2_E2E_ARM_WRESTLING[caseName] : undefined;
  if (base) {
    return {
      mmaction2: base,
      speedup_end_to_end: round(base.end_to_end_s / protocol.end_to_end_s, 2),
      speedup_pipeline: round(base.pipeline_s / protocol.pipeline_s, 2),
      speedup_model: round(base.model_s / protocol.model_s, 2),
      peak_rss_ratio: round(protocol.peak_rss_gb / base.peak_rss_gb, 2),
    };
  }
  const pipeline = videoName === 'stretching_1080p' ? MMACTION2_PIPELINE_1080P_S[caseName] : undefined;
  if (!pipeline) return null;
  const model = MMACTION2_E2E_ARM_WRESTLING[caseName]?.model_s;
  const estimate = model === undefined ? undefined : pipeline + model;
  return {
    mmaction2: { pipeline_s: pipeline, ...(estimate === undefined ? {} : { end_to_end_estimate_s: round(estimate, 2) }) },
    speedup_pipeline: round(pipeline / protocol.pipeline_s, 2),
    ...(estimate === undefined ? {} : { speedup_end_to_end_estimate: round(estimate / protocol.end_to_end_s, 2) }),
  };
}

export async function runMmaction2E2e({ videos = ['arm_wrestling'], models = Object.keys(CASES), precisions = ['fp32', 'int8'], threads = 2 } = {}) {
  const calibration = [path.join(SHARED_DIR, 'media', 'carving_ice.mp4')];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-mm2-e2e-'));
  const results = {};
  const loadBefore = os.loadavg().map((x) => round(x, 2));
  try {
    for (const key of models) {
      const testCase = CASES[key];
      if (!testCase) throw new Error(`--models has '${key}'; allowed: ${Object.keys(CASES).join(', ')}.`);
      const caseDir = path.join(dir, key);
      const cacheDir = path.join(caseDir, 'cache');
      rmSync(caseDir, { recursive: true, force: true });
      mkdirSync(cacheDir, { recursive: true });
      const specPath = await prepareCase(testCase, caseDir);
      for (const videoName of videos) {
        const video = path.join(SHARED_DIR, 'media', `${videoName}.mp4`);
        const byPrecision = {};
        for (const precision of precisions) {
          process.stderr.write(`mmaction2-e2e: ${testCase.name} on ${videoName} (${precision})\n`);
          const args = { specPath, video, cacheDir, threads, precision, calibration: precision === 'int8' ? calibration : [] };
          const engine = runChild('engine', args);
          const protocol = runChild('protocol', args);
          byPrecision[precision] = { protocol, engine_cold: engine, versus_mmaction2: versusBaseline(testCase.name, videoName, protocol) };
        }
        const { fp32, int8 } = byPrecision;
        results[`${testCase.name}/${videoName}`] = {
          zoo_id: testCase.zooId,
          video: `${videoName}.mp4`,
          ...byPrecision,
          ...(fp32 && int8
            ? {
                int8_vs_fp32: {
                  speedup_end_to_end: round(fp32.protocol.end_to_end_s / int8.protocol.end_to_end_s, 2),
                  speedup_model: round(fp32.protocol.model_s / int8.protocol.model_s, 2),
                  same_top1: fp32.engine_cold.aggregate_top5[0]?.[0] === int8.engine_cold.aggregate_top5[0]?.[0],
                  top5_overlap: int8.engine_cold.aggregate_top5.filter(([i]) => fp32.engine_cold.aggregate_top5.some(([j]) => j === i)).length / 5,
                },
              }
            : {}),
        };
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    bench: 'mmaction2-e2e',
    method: `golden-weight checkpoints; per model, video and precision two fresh processes (int8 = runtime.precision 'int8' calibrated on carving_ice.mp4): 'protocol' = runClipProtocol alone on the converted ONNX in the engine's worker session (${threads} threads), probe + sample + decode + resize + crop + format + forward + average_clip, peak RSS = its resourceUsage().maxRSS; 'engine_cold' = createRecognizer + analyze with clip_protocol 'full' from the .pth (conversion, session load, timeline windows and the protocol; end_to_end_s leaves out convert/load). One run each (no median).`,
    load_average_before: loadBefore,
    load_average_after: os.loadavg().map((x) => round(x, 2)),
    results,
    machine: machineInfo(),
  };
}

async function runAsChild(mode, args) {
  const body = mode === 'engine' ? engineChild : protocolChild;
  const out = await body(args);
  const peak = process.resourceUsage().maxRSS * 1024; // kilobytes on Linux
  process.stdout.write(JSON.stringify({ ...out, peak_rss_gb: round(peak / 1e9, 3) }));
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: {
    videos: { type: 'string', default: 'arm_wrestling' }, models: { type: 'string', default: Object.keys(CASES).join(',') },
    threads: { type: 'string', default: '2' }, precision: { type: 'string', default: 'fp32,int8' }, child: { type: 'string' }, args: { type: 'string' },
  } });
  if (values.child) {
    await runAsChild(values.child, JSON.parse(values.args));
  } else {
    const threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`--threads is '${values.threads}'; use a whole number in [1, 64].`);
    const precisions = values.precision.split(',');
    if (precisions.some((p) => p !== 'fp32' && p !== 'int8')) throw new Error(`--precision is '${values.precision}'; use fp32, int8 or fp32,int8.`);
    runMmaction2E2e({ videos: values.videos.split(','), models: values.models.split(','), precisions, threads })
      .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
      .catch((e) => { process.stderr.write(`mmaction2-e2e: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
  }
}
