#!/usr/bin/env node
// Forward latency of every MMAction2 family on onnxruntime-node CPU: one view with the golden
// fixture's input shape, golden weights, the engine's session options (2 threads, graph
// optimisation 'all'). One profiled warm-up run counts the multiply-adds the kernels really did;
// then `runs` timed runs. Achieved GFLOP/s is set against the GEMM peak (torch's reference figure,
// and ORT's own MatMul peak measured before and after the families in this run) and MMAction2's own
// forward time (../shared/fixtures/mmaction2-baseline.md).
//
//   node bench/mmaction2-forward.mjs [--runs 5] [--threads 2] [--all] [--only x3d_s_13x6x1,tsm_r50_1x1x8]
//                                    [--peak-size 4096] [--peak-runs 5]
//
// Without --all the families MMAction2 itself needs >= 3 s for (R(2+1)D and the transformers) are
// skipped. Prints one JSON object. Needs `npm run build` and the ../shared fixtures.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { importDist } from './lib/dist-import.mjs';
import { summarizeLatencies } from './lib/latency-stats.mjs';
import { measureOrtGemmPeak } from './lib/gemm-peak.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { GEMM_PEAK_GFLOPS, MMACTION2_FORWARD_S } from './lib/mmaction2-baseline.mjs';
import { profileMacs } from './lib/profile-macs.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const FIXTURES = path.join(SHARED_DIR, 'fixtures/mmaction2');
const HEAVY_BASELINE_S = 3;
/** metafile / profiled multiply-adds above this: the profile missed kernels (see macs_source). */
const PROFILE_UNDERCOUNT = 1.3;
const round = (x, digits = 3) => Number(x.toFixed(digits));
const numel = (dims) => dims.reduce((n, d) => n * d, 1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The zoo entry a fixture was made from (the 8-segment TSN fixture shares TSN's entry). */
const zooIdOf = (fixtureName) => `${fixtureName.replace(/_8seg$/, '').replace(/_/g, '-')}-k400`;

async function loadDist() {
  return {
    zoo: await importDist('models/zoo.js'),
    convert: await importDist('models/converters/mmaction2/convert-checkpoint.js'),
    golden: await importDist('models/converters/mmaction2/golden-weights.js'),
  };
}

/** Profiled warm-up, then `runs` timed runs of one view; returns the figures of one family. */
async function measureFamily(dist, fixture, { runs, threads, workDir }) {
  const is3d = fixture.recognizer === 'Recognizer3D';
  const viewShape = is3d ? fixture.input.shape.slice(2) : fixture.input.shape.slice(1); // [C, T, H, W] | [segments, C, H, W]
  const b0 = performance.now();
  const built = dist.convert.builderFor(fixture.model.backbone.type)(structuredClone(fixture.model), dist.golden.createGoldenSource(), { viewShape });
  const buildS = (performance.now() - b0) / 1000;

  const profilePrefix = path.join(workDir, `${fixture.name}-profile`);
  const l0 = performance.now();
  const session = await ort.InferenceSession.create(built.onnx, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    enableProfiling: true,
    profileFilePrefix: profilePrefix,
  });
  const loadS = (performance.now() - l0) / 1000;
  const dims = [1, ...viewShape]; // [V=1, ...view]
  const feeds = { [built.inputName]: new ort.Tensor('float32', dist.golden.goldenInput(dims), dims) };
  try {
    const w0 = performance.now();
    await session.run(feeds);
    const warmupS = (performance.now() - w0) / 1000;
    session.endProfiling(); // only the warm-up run is profiled
    const profileFile = readdirSync(workDir).find((f) => f.startsWith(path.basename(profilePrefix)) && f.endsWith('.json'));
    const macs = profileMacs(JSON.parse(readFileSync(path.join(workDir, profileFile), 'utf8')));
    rmSync(path.join(workDir, profileFile));

    const wallMs = [];
    const cpuMs = [];
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const out = await session.run(feeds);
      wallMs.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuMs.push((c.user + c.system) / 1000);
      const logits = out[built.outputName];
      if (logits.dims.join(',') !== `1,${built.numClasses}`) throw new Error(`${fixture.name}: logits have shape [${logits.dims}], expected [1, ${built.numClasses}]`);
    }
    return { buildS, loadS, warmupS, macs, wall: summarizeLatencies(wallMs), cpu: summarizeLatencies(cpuMs), onnxMb: built.onnx.byteLength / 1e6, viewShape };
  } finally {
    await session.release();
  }
}

/** One peak measurement without the settings the bench prints once. */
const peakFigures = ({ gflops_median, gflops_max, gflops_runs }) => ({ gflops_median, gflops_max, gflops_runs });

/** The zoo's FLOPs (metafile, for the zoo's own view shape) scaled to the fixture's view size. */
function zooFlopsForView(dist, fixtureName, viewShape) {
  const spec = dist.zoo.getModelSpec(zooIdOf(fixtureName));
  if (!spec.flops) return { zooId: spec.id, flops: null };
  const zooView = dist.convert.viewShapeOf(spec, spec.mmaction2.model);
  return { zooId: spec.id, flops: spec.flops * (numel(viewShape) / numel(zooView)), zooFlops: spec.flops, zooView };
}

export async function runMmaction2Forward({ runs = 5, threads = 2, all = false, only = undefined, peakSize = 4096, peakRuns = 5 } = {}) {
  const dist = await loadDist();
  const index = JSON.parse(readFileSync(path.join(FIXTURES, '_index.json'), 'utf8')).models;
  const chosen = index.filter((m) => (only ? only.includes(m.name) : all || (MMACTION2_FORWARD_S[m.name] ?? m.forward_s) < HEAVY_BASELINE_S));
  const skipped = index.filter((m) => !chosen.includes(m)).map((m) => m.name);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-mm2-forward-'));
  const loadBefore = os.loadavg()[0];
  // ORT's MatMul peak before and after the families: their pooled median is what each family is set against.
  process.stderr.write(`mmaction2-forward: ORT GEMM peak (${peakSize}^2 MatMul)\n`);
  const peakBefore = await measureOrtGemmPeak({ size: peakSize, runs: peakRuns, threads });
  const measured = [];
  const families = {};
  try {
    for (const entry of chosen) {
      process.stderr.write(`mmaction2-forward: ${entry.name}\n`);
      const fixture = JSON.parse(readFileSync(path.join(FIXTURES, entry.file), 'utf8'));
      try {
        const m = await measureFamily(dist, fixture, { runs, threads, workDir });
        const medianS = m.wall.p50 / 1000;
        const zoo = zooFlopsForView(dist, entry.name, m.viewShape);
        // ORT fuses attention into kernels the profile cannot count (transformers): when the profile sees
        // well under the metafile's multiply-adds, the metafile's count is the better one.
        const undercounted = zoo.flops !== null && zoo.flops > PROFILE_UNDERCOUNT * m.macs.total;
        const macs = undercounted ? zoo.flops : m.macs.total;
        const flops = 2 * macs; // 2 flops per multiply-add, as the GEMM peak counts them
        const baselineS = MMACTION2_FORWARD_S[entry.name] ?? null;
        measured.push({ name: entry.name, gflops: flops / 1e9 / medianS });
        families[entry.name] = {
          zoo_id: zoo.zooId,
          view_shape: m.viewShape,
          onnx_mb: round(m.onnxMb, 1),
          build_s: round(m.buildS, 2),
          session_load_s: round(m.loadS, 2),
          warmup_s: round(m.warmupS, 3),
          forward_s: { median: round(medianS), min: round(m.wall.min / 1000), max: round(m.wall.max / 1000), n: m.wall.n },
          cpu_s_median: round(m.cpu.p50 / 1000),
          profiled_gmacs_per_view: round(m.macs.total / 1e9, 2),
          metafile_gflops_for_view: zoo.flops === null ? null : round(zoo.flops / 1e9, 2),
          // ~1 means the metafile "FLOPs" are multiply-adds per view (fvcore/mmcv count MACs).
          metafile_over_profiled_macs: zoo.flops === null ? null : round(zoo.flops / m.macs.total, 2),
          macs_source: undercounted ? 'metafile (the profile misses fused attention kernels)' : 'profile',
          achieved_gflops_per_s: round(flops / 1e9 / medianS, 1),
          fraction_of_gemm_peak: round(flops / 1e9 / medianS / GEMM_PEAK_GFLOPS, 3),
          fraction_of_measured_ort_peak: null, // set once the peak after the families is known
          mmaction2_forward_s: baselineS,
          mmaction2_forward_s_fixture: entry.forward_s, // the fixture's own timing, taken on a busier machine
          speedup_vs_mmaction2: baselineS === null ? null : round(baselineS / medianS, 2),
        };
      } catch (error) {
        families[entry.name] = { error: error.message };
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  process.stderr.write('mmaction2-forward: ORT GEMM peak again\n');
  const peakAfter = await measureOrtGemmPeak({ size: peakSize, runs: peakRuns, threads });
  const peakMedian = median([...peakBefore.gflops_runs, ...peakAfter.gflops_runs]);
  for (const m of measured) families[m.name].fraction_of_measured_ort_peak = round(m.gflops / peakMedian, 3);
  return {
    bench: 'mmaction2-forward',
    method: `onnxruntime-node CPU, ${threads} intra-op threads, graph optimisation 'all'; golden weights and input; one view [1, ...view_shape]; 1 profiled warm-up run (multiply-adds counted from its Conv/MatMul/Gemm kernel shapes), then ${runs} timed runs; achieved GFLOP/s = 2 x profiled MACs (the metafile's where the profile sees < 1/1.3 of them: fused attention) / median; fraction_of_gemm_peak: vs torch's ${GEMM_PEAK_GFLOPS} GFLOP/s reference; fraction_of_measured_ort_peak: vs ORT's ${peakSize}^2 float32 MatMul, measured before and after the families (${peakRuns} runs each, pooled median); speedup = MMAction2 forward_s (baseline table, quiet machine) / our median`,
    gemm_peak_gflops: GEMM_PEAK_GFLOPS,
    measured_ort_gemm_peak: {
      size: peakSize,
      threads,
      before: peakFigures(peakBefore),
      after: peakFigures(peakAfter),
      gflops_median: round(peakMedian, 1),
    },
    skipped,
    load_average_before: round(loadBefore, 2),
    load_average_after: round(os.loadavg()[0], 2),
    families,
    machine: machineInfo(),
  };
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      threads: { type: 'string', default: '2' },
      all: { type: 'boolean', default: false },
      only: { type: 'string' },
      'peak-size': { type: 'string', default: '4096' },
      'peak-runs': { type: 'string', default: '5' },
    },
  });
  const runs = Number(values.runs);
  const threads = Number(values.threads);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs is '${values.runs}'; use a whole number in [1, 100].`);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`--threads is '${values.threads}'; use a whole number in [1, 64].`);
  const peakSize = Number(values['peak-size']);
  const peakRuns = Number(values['peak-runs']);
  if (!Number.isInteger(peakSize) || peakSize < 64 || peakSize > 16384) throw new Error(`--peak-size is '${values['peak-size']}'; use a whole number in [64, 16384].`);
  if (!Number.isInteger(peakRuns) || peakRuns < 1 || peakRuns > 100) throw new Error(`--peak-runs is '${values['peak-runs']}'; use a whole number in [1, 100].`);
  runMmaction2Forward({ runs, threads, all: values.all, only: values.only?.split(',').map((s) => s.trim()), peakSize, peakRuns })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => { process.stderr.write(`mmaction2-forward: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
}
