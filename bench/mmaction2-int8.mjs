#!/usr/bin/env node
// Post-training static int8 (ONNX QDQ, src/models/quantize) against float32 for the conv families:
//  1. speed: one view, both sessions open, runs interleaved fp32 / int8, the engine's session options;
//     the optimised int8 graph's op types show whether every planned Conv became a QLinearConv;
//  2. numerical agreement on real videos: calibrated on the test-protocol views of one clip, compared
//     view by view (and after average_clip) on held-out clips, views made by the engine's own pipeline;
//  3. calibration and quantization time, and the int8 file size.
// Weights are the golden fixtures' deterministic (untrained) ones: no real checkpoints offline.
//
//   node bench/mmaction2-int8.mjs [--only x3d_s_13x6x1,...] [--runs 5] [--threads 2] [--max-views 10] [--quick]
//
// Prints one JSON object. Needs `npm run build`, ffmpeg and the ../shared media.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { importDist } from './lib/dist-import.mjs';
import { summarizeLatencies } from './lib/latency-stats.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { readOnnxOpTypes } from './lib/onnx-op-types.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

export const INT8_FAMILIES = [
  'tsn_r50_1x1x8_8seg',
  'tsm_r50_1x1x8',
  'c2d_r50_8x8x1',
  'slowonly_r50_8x8x1',
  'x3d_s_13x6x1',
  'tsm_mobilenetv2_1x1x8',
  'i3d_r50_32x2x1',
  'slowfast_r50_4x16x1',
];
const QUICK_FAMILIES = ['tsm_mobilenetv2_1x1x8', 'x3d_s_13x6x1', 'c2d_r50_8x8x1'];
const CALIBRATION_CLIP = 'carving_ice.mp4';
const HELD_OUT_CLIPS = ['arm_wrestling.mp4', 'stretching_1080p.mp4', 'makeup_mpeg4.avi', 'jumpingjack.gif'];
const CROPS_PER_MODE = { center: 1, three: 3, ten: 10 };
// ORT's pool threads spin a while after a run; on 2 cores the other session's spinning threads
// would slow the next run by ~25 ms (measured: TSM-MobileNetV2 55 ms interleaved vs 30 ms alone),
// so each timed run waits for them to park.
const SETTLE_MS = 100;
const CAVEAT =
  'Weights are the golden fixtures\' deterministic weights (untrained): these figures measure how closely int8 follows float32 on real video inputs, not Kinetics-400 accuracy (no real checkpoints offline). Untrained logits barely depend on the input (input_dependence) and their top-1 class is set by the input-independent part, so top1_agreement, logit_cosine and logit_rel_error flatter int8; the signal_* figures set the same error against the input-dependent part alone and are the harsher test.';

const round = (x, digits = 3) => Number(x.toFixed(digits));
const sig = (x, digits = 3) => Number(x.toPrecision(digits));

/** The zoo entry a family name stands for (the 8-segment TSN shares TSN's entry). */
const zooIdOf = (family) => `${family.replace(/_\d+seg$/, '').replace(/_/g, '-')}-k400`;

async function loadDist() {
  return {
    zoo: await importDist('models/zoo.js'),
    convert: await importDist('models/converters/mmaction2/convert-checkpoint.js'),
    golden: await importDist('models/converters/mmaction2/golden-weights.js'),
    onnxReader: await importDist('models/converters/onnx/onnx-reader.js'),
    onnxProto: await importDist('models/converters/onnx/onnx-proto.js'),
    quantize: await importDist('models/quantize/index.js'),
    clipInput: await importDist('app/clip-input.js'),
    protocol: await importDist('app/clip-protocol.js'),
    video: await importDist('video/index.js'),
    postprocess: await importDist('core/postprocess/index.js'),
  };
}

/** The family's zoo spec; `<name>_<n>seg` runs the zoo protocol with n segments (as its fixture). */
function familySpec(dist, family) {
  const spec = dist.zoo.getModelSpec(zooIdOf(family));
  const segments = /_(\d+)seg$/.exec(family);
  if (segments) {
    spec.input.num_clips = Number(segments[1]);
    const step = spec.mmaction2.test_pipeline.find((s) => s.type === 'SampleFrames');
    if (step) step.num_clips = spec.input.num_clips;
  }
  return spec;
}

/** `count` view indices spread evenly over [0, total): every crop and clip position gets its share. */
function pickViews(total, count) {
  if (total <= count) return new Set(Array.from({ length: total }, (_, i) => i));
  return new Set(Array.from({ length: count }, (_, i) => Math.floor((i * total) / count)));
}

/** The clip's test-protocol views one at a time (engine pipeline), only those `pickViews` keeps. */
async function* clipViews(dist, tools, geometry, clip, maxViews, timing) {
  const videoPath = path.join(SHARED_DIR, 'media', clip);
  const d0 = performance.now();
  const info = await dist.video.probeVideo(videoPath, { tools });
  const decoded = await dist.protocol.decodeProtocolFrames({ videoPath, info, geometry, ffmpeg: tools.ffmpeg });
  timing.decode_ms = performance.now() - d0;
  const total = (decoded.frames.length / geometry.framesPerView) * CROPS_PER_MODE[geometry.crop?.mode ?? 'center'];
  const keep = pickViews(total, maxViews);
  timing.protocol_views = total;
  timing.total_frames = decoded.totalFrames;
  let index = 0;
  for (const view of dist.protocol.protocolInputChunks(decoded.frames, geometry, 1)) {
    if (keep.has(index)) yield view;
    index++;
  }
  if (index !== total) throw new Error(`${clip}: the protocol gave ${index} views, expected ${total}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tensorOf = (t) => new ort.Tensor(t.type, t.data, t.dims);

function topIndices(values, k) {
  return [...values.keys()].sort((a, b) => values[b] - values[a] || a - b).slice(0, k);
}

/** Cosine and relative error ||q - fp|| / ||fp|| of two score vectors (float64 sums). */
function vectorAgreement(fp, q) {
  let dot = 0, nf = 0, nq = 0, nd = 0;
  for (let i = 0; i < fp.length; i++) {
    dot += fp[i] * q[i];
    nf += fp[i] * fp[i];
    nq += q[i] * q[i];
    nd += (q[i] - fp[i]) ** 2;
  }
  return { cosine: dot / Math.sqrt(nf * nq), relError: Math.sqrt(nd / nf) };
}

/** Agreement of two probability vectors: top-1, top-5 overlap, |Δprob|, fp32's top-1 margin. */
function probAgreement(pf, pq) {
  const topF = topIndices(pf, 5);
  const topQ = topIndices(pq, 5);
  let maxDp = 0;
  let sumDp = 0;
  for (let i = 0; i < pf.length; i++) {
    const d = Math.abs(pf[i] - pq[i]);
    maxDp = Math.max(maxDp, d);
    sumDp += d;
  }
  return {
    top1: topF[0] === topQ[0],
    top5Overlap: topF.filter((c) => topQ.includes(c)).length / 5,
    maxDp,
    meanDp: sumDp / pf.length,
    margin: pf[topF[0]] - pf[topF[1]],
  };
}

const norm = (x) => Math.sqrt(x.reduce((a, v) => a + v * v, 0));
const minus = (x, center) => Float64Array.from(x, (v, i) => v - center[i]);

function meanRow(rows) {
  const out = new Float64Array(rows[0].length);
  for (const r of rows) for (let i = 0; i < out.length; i++) out[i] += r[i] / rows.length;
  return out;
}

/**
 * The input-dependent part of the logits: each row minus `center` (float32's mean row over the
 * compared inputs). Untrained weights give logits that barely change with the input, so errors
 * are also set against this part, which is what tells one input from another.
 */
function signalAgreement(fp, q, center) {
  const sf = minus(fp, center);
  const sq = minus(q, center);
  const v = vectorAgreement(sf, sq);
  return { signalTop1: topIndices(sf, 1)[0] === topIndices(sq, 1)[0], signalCosine: v.cosine, signalRelError: v.relError, inputDependence: norm(sf) / norm(fp) };
}

/** One view: int8 logits against float32 logits, as logits, after softmax and around `center`. */
function compareView(dist, fp, q, center) {
  return { ...probAgreement(dist.postprocess.softmax(fp), dist.postprocess.softmax(q)), ...vectorAgreement(fp, q), ...signalAgreement(fp, q, center) };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const medianOf = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per-view comparisons -> the figures printed for a set of views. */
function summarizeViews(cmp) {
  return {
    views: cmp.length,
    top1_agreement: round(mean(cmp.map((c) => (c.top1 ? 1 : 0)))),
    top5_overlap_mean: round(mean(cmp.map((c) => c.top5Overlap))),
    prob_abs_diff_max: sig(Math.max(...cmp.map((c) => c.maxDp))),
    prob_abs_diff_mean: sig(mean(cmp.map((c) => c.meanDp))),
    logit_cosine_mean: round(mean(cmp.map((c) => c.cosine)), 5),
    logit_cosine_min: round(Math.min(...cmp.map((c) => c.cosine)), 5),
    logit_rel_error_mean: sig(mean(cmp.map((c) => c.relError))),
    logit_rel_error_max: sig(Math.max(...cmp.map((c) => c.relError))),
    fp32_top1_prob_margin_median: sig(medianOf(cmp.map((c) => c.margin))),
    input_dependence_median: sig(medianOf(cmp.map((c) => c.inputDependence))),
    signal_top1_agreement: round(mean(cmp.map((c) => (c.signalTop1 ? 1 : 0)))),
    signal_cosine_mean: round(mean(cmp.map((c) => c.signalCosine)), 4),
    signal_rel_error_median: sig(medianOf(cmp.map((c) => c.signalRelError))),
  };
}

/** average_clip of one clip's views for both, compared: after the spec's view average, and as mean logits. */
function compareVideo(dist, spec, fpRows, qRows, center) {
  const n = spec.num_classes;
  const concat = (rows) => { const out = new Float32Array(rows.length * n); rows.forEach((r, i) => out.set(r, i * n)); return out; };
  const [fp, q] = [concat(fpRows), concat(qRows)];
  const method = spec.output.view_average;
  const probs = (x) => dist.postprocess.viewAverageToProbs(dist.postprocess.averageViews(x, n, method), method);
  const p = probAgreement(probs(fp), probs(q));
  const [lf, lq] = [meanRow(fpRows), meanRow(qRows)];
  const c = vectorAgreement(lf, lq);
  const s = signalAgreement(lf, lq, center);
  return {
    top1_agrees: p.top1,
    top5_overlap: p.top5Overlap,
    prob_abs_diff_max: sig(p.maxDp),
    prob_abs_diff_mean: sig(p.meanDp),
    mean_logit_cosine: round(c.cosine, 5),
    mean_logit_rel_error: sig(c.relError),
    fp32_top1_prob_margin: sig(p.margin),
    input_dependence: sig(s.inputDependence),
    signal_top1_agrees: s.signalTop1,
    signal_cosine: round(s.signalCosine, 4),
    signal_rel_error: sig(s.signalRelError),
  };
}

/**
 * Kernel times of the last run in an ORT profile file (earlier runs are warm-ups): milliseconds
 * per op type, and the slowest nodes with their input shapes.
 */
function lastRunKernels(file, slowest = 3) {
  const events = JSON.parse(readFileSync(file, 'utf8'));
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const from = runs.length > 0 ? runs[runs.length - 1].ts : 0;
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.ts >= from);
  const byOp = {};
  for (const e of kernels) byOp[e.args.op_name] = (byOp[e.args.op_name] ?? 0) + e.dur / 1000;
  return {
    msByOp: Object.fromEntries(Object.entries(byOp).sort((a, b) => b[1] - a[1]).map(([op, ms]) => [op, round(ms, 1)])),
    slowest: [...kernels].sort((a, b) => b.dur - a.dur).slice(0, slowest).map((e) => ({
      op: e.args.op_name,
      node: e.name.replace(/_kernel_time$/, ''),
      ms: round(e.dur / 1000, 1),
      input_shape: Object.values(e.args.input_type_shape?.[0] ?? {})[0] ?? null, // the data input; ORT's NHWC kernels show it channels-last
    })),
  };
}

/** Profiles one session's runs until endProfiling; returns the kernels of its last run and removes the file. */
function profileOf(workDir, prefix) {
  const name = readdirSync(workDir).find((f) => f.startsWith(prefix) && f.endsWith('.json'));
  if (!name) throw new Error(`no ORT profile ${prefix}*.json in ${workDir}`);
  const file = path.join(workDir, name);
  try {
    return lastRunKernels(file);
  } finally {
    rmSync(file);
  }
}

/** The test protocol in MMAction2's words, e.g. '10 clips of 32x2 x three crop' or '8 segments x ten crop'. */
function protocolName(geometry) {
  const { numClips, clipLen, frameInterval } = geometry.sampling;
  const crop = `${geometry.crop?.mode ?? 'no'} crop`;
  return geometry.layout === 'NCHW-segments' ? `${numClips} segments x ${crop}` : `${numClips} clips of ${clipLen}x${frameInterval} x ${crop}`;
}

function opCounts(ops) {
  const counts = {};
  for (const op of ops) counts[op] = (counts[op] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

async function measureFamily(dist, tools, family, { runs, threads, maxViews, workDir }) {
  const spec = familySpec(dist, family);
  const model = spec.mmaction2.model;
  const geometry = dist.clipInput.clipGeometry(spec);
  const viewShape = dist.convert.viewShapeOf(spec, model);
  if (viewShape.join() !== geometry.viewShape.join()) throw new Error(`${family}: converter view [${viewShape}] differs from the pipeline's [${geometry.viewShape}]`);
  const sessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const log = (msg) => process.stderr.write(`mmaction2-int8: ${family}: ${msg}\n`);

  const b0 = performance.now();
  const built = dist.convert.builderFor(model.backbone.type)(structuredClone(model), dist.golden.createGoldenSource(), { viewShape });
  const buildMs = performance.now() - b0;
  if (built.numClasses !== spec.num_classes) throw new Error(`${family}: built ${built.numClasses} classes, spec has ${spec.num_classes}`);

  // Quantize = plan + QDQ rewrite + encode; calibration = its model, session and forward passes.
  const p0 = performance.now();
  const fpModel = dist.onnxReader.decodeModel(built.onnx);
  const plan = dist.quantize.planQdq(fpModel.graph);
  let quantizeMs = performance.now() - p0;
  const fp32Convs = fpModel.graph.nodes.filter((n) => n.opType === 'Conv').length;

  log(`calibrating on ${CALIBRATION_CLIP} (${plan.calibrated.length} ranges, ${plan.convs.length} convs)`);
  const c0 = performance.now();
  const calibration = dist.quantize.buildCalibrationModel(fpModel, plan.calibrated);
  const calSession = await ort.InferenceSession.create(dist.onnxProto.encodeModel(calibration.model), sessionOptions);
  const calLoadMs = performance.now() - c0;
  const tracker = dist.quantize.createRangeTracker(calibration.outputs);
  const calClip = {};
  let calForwardMs = 0;
  try {
    for await (const view of clipViews(dist, tools, geometry, CALIBRATION_CLIP, maxViews, calClip)) {
      const f0 = performance.now();
      const out = await calSession.run({ [built.inputName]: tensorOf(view) });
      tracker.add((name) => Number(out[name].data[0]));
      calForwardMs += performance.now() - f0;
    }
  } finally {
    await calSession.release();
  }
  const calibrationMs = performance.now() - c0;

  const q0 = performance.now();
  const int8Onnx = dist.onnxProto.encodeModel(dist.quantize.insertQdq(fpModel, plan, tracker.ranges()));
  quantizeMs += performance.now() - q0;

  const optimizedPath = path.join(workDir, `${family}-int8-optimized.onnx`);
  // Both profiled through the two warm-up runs only (endProfiling before the timed runs).
  const profiled = (kind) => ({ ...sessionOptions, enableProfiling: true, profileFilePrefix: path.join(workDir, `${family}-${kind}`) });
  const fpSession = await ort.InferenceSession.create(built.onnx, profiled('fp32'));
  const qSession = await ort.InferenceSession.create(int8Onnx, { ...profiled('int8'), optimizedModelFilePath: optimizedPath });
  try {
    const ops = opCounts(readOnnxOpTypes(readFileSync(optimizedPath)));
    rmSync(optimizedPath);

    // Speed: golden input, one view; two profiled warm-ups each, then fp32 and int8 take turns.
    log(`timing ${runs} interleaved runs`);
    const dims = [1, ...viewShape];
    const feeds = { [built.inputName]: new ort.Tensor('float32', dist.golden.goldenInput(dims), dims) };
    const sessions = { fp32: fpSession, int8: qSession };
    const wall = { fp32: [], int8: [] };
    const cpu = { fp32: [], int8: [] };
    const profiles = {};
    for (const [kind, s] of Object.entries(sessions)) {
      await s.run(feeds);
      await s.run(feeds);
      s.endProfiling();
      profiles[kind] = profileOf(workDir, `${family}-${kind}`);
    }
    for (let r = 0; r < runs; r++) {
      for (const [kind, s] of Object.entries(sessions)) {
        await sleep(SETTLE_MS);
        const u0 = process.cpuUsage();
        const t0 = performance.now();
        const out = await s.run(feeds);
        wall[kind].push(performance.now() - t0);
        const u = process.cpuUsage(u0);
        cpu[kind].push((u.user + u.system) / 1000);
        if (out[built.outputName].dims.join() !== `1,${built.numClasses}`) throw new Error(`${family} ${kind}: logits [${out[built.outputName].dims}]`);
      }
    }
    const speed = Object.fromEntries(Object.keys(sessions).map((kind) => {
      const w = summarizeLatencies(wall[kind]);
      return [kind, { median_ms: round(w.p50, 1), min_ms: round(w.min, 1), max_ms: round(w.max, 1), cpu_ms_median: round(summarizeLatencies(cpu[kind]).p50, 1), n: w.n }];
    }));

    // Agreement on held-out clips, view by view (logits kept: the signal figures need their mean).
    const rows = {};
    for (const clip of HELD_OUT_CLIPS) {
      log(`comparing on ${clip}`);
      const timing = {};
      const fp = [];
      const q = [];
      for await (const view of clipViews(dist, tools, geometry, clip, maxViews, timing)) {
        const input = { [built.inputName]: tensorOf(view) };
        fp.push((await fpSession.run(input))[built.outputName].data);
        q.push((await qSession.run(input))[built.outputName].data);
      }
      rows[clip] = { fp, q, timing };
    }
    const viewCenter = meanRow(Object.values(rows).flatMap((r) => r.fp));
    const videoCenter = meanRow(Object.values(rows).map((r) => meanRow(r.fp)));
    const clips = {};
    const pooled = [];
    for (const [clip, { fp, q, timing }] of Object.entries(rows)) {
      const cmp = fp.map((row, i) => compareView(dist, row, q[i], viewCenter));
      pooled.push(...cmp);
      clips[clip] = {
        protocol_views: timing.protocol_views,
        total_frames: timing.total_frames,
        decode_ms: round(timing.decode_ms, 0),
        per_view: summarizeViews(cmp),
        video: compareVideo(dist, spec, fp, q, videoCenter),
      };
    }
    const videos = Object.values(clips).map((c) => c.video);

    return {
      zoo_id: spec.id,
      view_shape: viewShape,
      protocol: `${protocolName(geometry)}, view average '${spec.output.view_average}'`,
      speed: {
        ...speed,
        int8_speedup: round(speed.fp32.median_ms / speed.int8.median_ms, 2),
        int8_speedup_min: round(speed.fp32.min_ms / speed.int8.min_ms, 2),
        int8_speedup_cpu: round(speed.fp32.cpu_ms_median / speed.int8.cpu_ms_median, 2),
        fp32_kernel_ms_by_op: profiles.fp32.msByOp,
        int8_kernel_ms_by_op: profiles.int8.msByOp,
        int8_slowest_kernels: profiles.int8.slowest,
      },
      kernels: {
        fp32_graph_convs: fp32Convs,
        planned_convs: plan.convs.length,
        int8_optimized_qlinearconv: ops.QLinearConv ?? 0,
        int8_optimized_float_convs: (ops.Conv ?? 0) + (ops.FusedConv ?? 0),
        every_planned_conv_is_integer: (ops.QLinearConv ?? 0) === plan.convs.length,
        int8_optimized_op_types: ops,
      },
      calibration: {
        clip: CALIBRATION_CLIP,
        views: tracker.batches,
        protocol_views: calClip.protocol_views,
        ranges: plan.calibrated.length,
        qdq_values: plan.values.length,
        calibration_ms: round(calibrationMs, 0),
        calibration_model_load_ms: round(calLoadMs, 0),
        calibration_forward_ms: round(calForwardMs, 0),
        decode_ms: round(calClip.decode_ms, 0),
      },
      quantize_ms: round(quantizeMs, 0),
      build_ms: round(buildMs, 0),
      onnx_mb: { fp32: round(built.onnx.byteLength / 1e6, 1), int8: round(int8Onnx.byteLength / 1e6, 1), ratio: round(int8Onnx.byteLength / built.onnx.byteLength, 3) },
      held_out: {
        per_view: summarizeViews(pooled),
        video_top1_agreement: `${videos.filter((v) => v.top1_agrees).length}/${videos.length}`,
        video_signal_top1_agreement: `${videos.filter((v) => v.signal_top1_agrees).length}/${videos.length}`,
        video_prob_abs_diff_max: sig(Math.max(...videos.map((v) => v.prob_abs_diff_max))),
        clips,
      },
    };
  } finally {
    await fpSession.release();
    await qSession.release();
  }
}

export async function runMmaction2Int8({ runs = 5, threads = 2, maxViews = 10, only = undefined, quick = false } = {}) {
  const families = only ?? (quick ? QUICK_FAMILIES : INT8_FAMILIES);
  const unknown = families.filter((f) => !INT8_FAMILIES.includes(f));
  if (unknown.length > 0) throw new Error(`unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; choose from ${INT8_FAMILIES.join(', ')}`);
  const dist = await loadDist();
  const tools = dist.video.locateFfmpeg();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-mm2-int8-'));
  const loadBefore = os.loadavg()[0];
  const results = {};
  try {
    for (const family of families) {
      const t0 = performance.now();
      try {
        results[family] = await measureFamily(dist, tools, family, { runs, threads, maxViews, workDir });
      } catch (error) {
        results[family] = { error: error.message };
      }
      results[family].bench_s = round((performance.now() - t0) / 1000, 1);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    bench: 'mmaction2-int8',
    caveat: CAVEAT,
    method: [
      `onnxruntime-node CPU, ${threads} intra-op threads, graph optimisation 'all' (the engine's options); golden weights; model built from the zoo spec (view shape and test protocol from the spec; tsn_r50_1x1x8_8seg: 8 segments as its fixture)`,
      `speed: golden input, one view [1, ...view_shape], fp32 and int8 sessions both open, 2 profiled warm-ups each, then ${runs} runs interleaved fp32/int8, each after a ${SETTLE_MS} ms pause (the other session's ORT threads stop spinning); int8_speedup = fp32 median / int8 median; kernels: op types of ORT's optimised int8 graph (optimizedModelFilePath)`,
      `int8: src/models/quantize (uint8 activations per tensor, int8 weights per output channel), min/max calibrated on the test-protocol views of ${CALIBRATION_CLIP}`,
      `agreement: views from the engine's pipeline (clipGeometry, decodeProtocolFrames, protocolInputChunks), at most ${maxViews} views per clip spread evenly over the protocol's clips and crops (protocol_views says how many the full protocol has), one view per run; per view: top-1 equal, |top5 ∩ top5|/5, |Δprob| after softmax, cosine and ||l_int8 - l_fp32|| / ||l_fp32|| of the logits; video: the same after the spec's average_clip over the evaluated views`,
    ],
    views_per_clip_cap: maxViews,
    calibration_clip: CALIBRATION_CLIP,
    held_out_clips: HELD_OUT_CLIPS,
    load_average_before: round(loadBefore, 2),
    load_average_after: round(os.loadavg()[0], 2),
    families: results,
    machine: machineInfo(),
  };
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      threads: { type: 'string', default: '2' },
      'max-views': { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs ?? (values.quick ? 3 : 5));
  const threads = Number(values.threads);
  const maxViews = Number(values['max-views'] ?? (values.quick ? 3 : 10));
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs is '${values.runs}'; use a whole number in [1, 100].`);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`--threads is '${values.threads}'; use a whole number in [1, 64].`);
  if (!Number.isInteger(maxViews) || maxViews < 1 || maxViews > 1000) throw new Error(`--max-views is '${values['max-views']}'; use a whole number in [1, 1000].`);
  runMmaction2Int8({ runs, threads, maxViews, quick: values.quick, only: values.only?.split(',').map((s) => s.trim()) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => { process.stderr.write(`mmaction2-int8: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
}
