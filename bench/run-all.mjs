#!/usr/bin/env node
// Runs every bench in turn and prints one JSON object keyed by bench name (`npm run bench`).
// Each bench also runs alone: see bench/README.md.
import { runE2eThroughput } from './e2e-throughput.mjs';
import { runMmaction2Convert } from './mmaction2-convert.mjs';
import { runMmaction2E2e } from './mmaction2-e2e.mjs';
import { runMmaction2Forward } from './mmaction2-forward.mjs';
import { runMmaction2Int8 } from './mmaction2-int8.mjs';
import { runMovinetLatency } from './movinet-latency.mjs';
import { runOnnxProfile } from './onnx-profile.mjs';
import { runServerLoad } from './server-load.mjs';
import { runWebcamLatency } from './webcam-latency.mjs';
import { machineInfo } from './lib/machine-info.mjs';

const BENCHES = {
  movinet_latency: () => runMovinetLatency(),
  onnx_profile: () => runOnnxProfile(),
  e2e_throughput: () => runE2eThroughput(),
  mmaction2_convert: () => runMmaction2Convert(),
  mmaction2_forward: () => runMmaction2Forward(),
  mmaction2_int8: () => runMmaction2Int8(),
  mmaction2_e2e: () => runMmaction2E2e(),
  webcam_latency: () => runWebcamLatency(),
  server_load: () => runServerLoad(),
};

const started = new Date().toISOString();
const results = {};
for (const [name, bench] of Object.entries(BENCHES)) {
  process.stderr.write(`bench: ${name}\n`);
  const t0 = performance.now();
  try {
    results[name] = { ...(await bench()), bench_seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
  } catch (error) {
    // One failing bench does not hide the others' figures; the exit code still says it failed.
    results[name] = { error: error.message };
    process.exitCode = 1;
  }
}
process.stdout.write(`${JSON.stringify({ started, machine: machineInfo(), results }, null, 2)}\n`);
// The threaded TFLite build parks idle pthreads that would keep the process alive.
process.exit(process.exitCode ?? 0);
