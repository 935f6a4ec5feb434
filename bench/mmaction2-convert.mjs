#!/usr/bin/env node
// Conversion cost of a full-size MMAction2 checkpoint (.pth -> ONNX): wall time and peak memory.
// A zoo model's checkpoint (TSN-R50 by default, ~98 MB) is written with the golden weights as an
// OpenMMLab zip .pth, then converted in fresh child processes, so each peak RSS
// (`process.resourceUsage().maxRSS`) belongs to one conversion. A child that loads the same modules
// and does not convert gives Node's own baseline, so both raw and net peaks are reported.
//
//   node bench/mmaction2-convert.mjs [--model tsn-r50-1x1x8-k400] [--runs 3]
//
// Targets: < 5 s, and a net peak < 2x the file size. Prints one JSON object. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { importDist } from './lib/dist-import.mjs';
import { declaredEntries, writeGoldenCheckpointFile } from './lib/golden-checkpoint.mjs';
import { machineInfo } from './lib/machine-info.mjs';

const SELF = fileURLToPath(import.meta.url);
const MB = 1e6;
const round = (x, digits = 3) => Number(x.toFixed(digits));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Child side: one conversion (or only the imports, for the baseline); prints its figures as JSON. */
async function child(mode, zooId, file) {
  const { getModelSpec } = await importDist('models/zoo.js');
  const { convertMmaction2CheckpointDetailed } = await importDist('models/converters/mmaction2/convert-checkpoint.js');
  const spec = getModelSpec(zooId);
  const out = { mode };
  if (mode === 'convert') {
    const t0 = performance.now();
    const bytes = readFileSync(file);
    const t1 = performance.now();
    const converted = convertMmaction2CheckpointDetailed(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), spec, { consumeInput: true });
    const t2 = performance.now();
    // As the model store does: the ONNX chunks written out one by one (never joined in memory).
    const { writeFileAtomic } = await importDist('io/atomic-write.js');
    const onnxFile = `${file}.onnx`;
    await writeFileAtomic(onnxFile, converted.onnxChunks);
    const t3 = performance.now();
    rmSync(onnxFile);
    const onnxBytes = converted.onnxChunks.reduce((n, c) => n + c.length, 0);
    Object.assign(out, { read_s: (t1 - t0) / 1000, convert_s: (t2 - t1) / 1000, write_s: (t3 - t2) / 1000, onnx_bytes: onnxBytes });
  }
  out.max_rss_bytes = process.resourceUsage().maxRSS * 1024; // Linux reports kilobytes
  process.stdout.write(JSON.stringify(out));
}

function runChild(mode, zooId, file) {
  const r = spawnSync(process.execPath, [SELF, '--child', mode, '--model', zooId, ...(file ? ['--file', file] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`conversion child (${mode}) exited with ${r.status}: ${r.stderr.slice(-800)}`);
  return JSON.parse(r.stdout);
}

export async function runMmaction2Convert({ model = 'tsn-r50-1x1x8-k400', runs = 3 } = {}) {
  const { getModelSpec } = await importDist('models/zoo.js');
  const { viewShapeOf } = await importDist('models/converters/mmaction2/convert-checkpoint.js');
  const spec = getModelSpec(model);
  const modelDict = spec.mmaction2.model;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-convert-bench-'));
  try {
    const file = path.join(dir, `${model}.pth`);
    const entries = await declaredEntries(modelDict, viewShapeOf(spec, modelDict));
    const fileBytes = writeGoldenCheckpointFile(file, entries);
    process.stderr.write(`mmaction2-convert: ${model}, ${(fileBytes / MB).toFixed(1)} MB checkpoint, ${runs} runs\n`);
    const baselines = [];
    const conversions = [];
    for (let i = 0; i < runs; i++) {
      // Interleaved, so a load change on the machine touches both alike.
      baselines.push(runChild('baseline', model));
      conversions.push(runChild('convert', model, file));
    }
    // The smallest baseline: the modules' floor (a late GC can leave one baseline child higher).
    const baselineRss = Math.min(...baselines.map((b) => b.max_rss_bytes));
    const peakRss = median(conversions.map((c) => c.max_rss_bytes));
    const convertS = median(conversions.map((c) => c.convert_s));
    const netRss = peakRss - baselineRss;
    return {
      bench: 'mmaction2-convert',
      method: `${runs} fresh child processes each: readFileSync + convertMmaction2CheckpointDetailed + write the ONNX chunks (as the model store does); peak = resourceUsage().maxRSS; baseline = the smallest of the children that load the same modules and spec only; medians`,
      model,
      checkpoint: { format: 'torch zip, OpenMMLab {meta, state_dict}, golden weights', entries: entries.length, bytes: fileBytes, mb: round(fileBytes / MB, 1) },
      onnx_mb: round(conversions[0].onnx_bytes / MB, 1),
      read_s: round(median(conversions.map((c) => c.read_s))),
      convert_s: round(convertS),
      convert_s_runs: conversions.map((c) => round(c.convert_s)),
      write_s: round(median(conversions.map((c) => c.write_s))),
      peak_rss_mb: round(peakRss / MB, 1),
      node_baseline_rss_mb: round(baselineRss / MB, 1),
      net_peak_rss_mb: round(netRss / MB, 1),
      net_peak_over_file_size: round(netRss / fileBytes, 2),
      raw_peak_over_file_size: round(peakRss / fileBytes, 2),
      targets: { convert_s_under_5: convertS < 5, net_peak_under_2x_file: netRss < 2 * fileBytes },
      machine: machineInfo(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'tsn-r50-1x1x8-k400' }, runs: { type: 'string', default: '3' }, child: { type: 'string' }, file: { type: 'string' } } });
  if (values.child) {
    await child(values.child, values.model, values.file);
  } else {
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error(`--runs is '${values.runs}'; use a whole number in [1, 20].`);
    runMmaction2Convert({ model: values.model, runs })
      .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
      .catch((e) => { process.stderr.write(`mmaction2-convert: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
  }
}
