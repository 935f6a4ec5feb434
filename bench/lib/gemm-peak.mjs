// The machine's float32 GEMM peak as ONNX Runtime reaches it: one square MatMul (n x n times n x n)
// in onnxruntime-node with the engine's session options, median GFLOP/s over timed runs (2 flops
// per multiply-add). The forward benches set achieved GFLOP/s against it, measured in the same run,
// so a busy machine lowers both sides alike.
//
//   node bench/lib/gemm-peak.mjs [--size 4096] [--runs 5] [--threads 2]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { importDist } from './dist-import.mjs';

const round = (x, digits = 1) => Number(x.toFixed(digits));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Fills with a fixed pseudo-random sequence in [-1, 1): no denormals, same work on every run. */
function filled(length, seed) {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return data;
}

/**
 * @param {{ size?: number, runs?: number, threads?: number }} [options]
 * @returns {Promise<{ size: number, threads: number, runs: number, gflops_median: number, gflops_max: number, gflops_runs: number[] }>}
 */
export async function measureOrtGemmPeak({ size = 4096, runs = 5, threads = 2 } = {}) {
  if (!Number.isInteger(size) || size < 64 || size > 16384) throw new Error(`gemm-peak: size is ${size}; use a whole number in [64, 16384].`);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`gemm-peak: runs is ${runs}; use a whole number in [1, 100].`);
  const { createGraphBuilder } = await importDist('models/converters/onnx/graph-builder.js');
  const g = createGraphBuilder('gemm_peak');
  const a = g.input('a', 'float32', [size, size]);
  const b = g.input('b', 'float32', [size, size]);
  const [y] = g.node('MatMul', [a, b]);
  g.output(y, 'float32', [size, size]);
  const session = await ort.InferenceSession.create(g.toModel({ producer: 'actionlens-bench' }), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  try {
    const dims = [size, size];
    const feeds = { a: new ort.Tensor('float32', filled(size * size, 1), dims), b: new ort.Tensor('float32', filled(size * size, 2), dims) };
    await session.run(feeds); // warm-up: thread pool start, packing buffers
    const flops = 2 * size ** 3;
    const gflops = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      gflops.push(flops / ((performance.now() - t0) / 1000) / 1e9);
    }
    return { size, threads, runs, gflops_median: round(median(gflops)), gflops_max: round(Math.max(...gflops)), gflops_runs: gflops.map((x) => round(x)) };
  } finally {
    await session.release();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '4096' }, runs: { type: 'string', default: '5' }, threads: { type: 'string', default: '2' } } });
  measureOrtGemmPeak({ size: Number(values.size), runs: Number(values.runs), threads: Number(values.threads) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => { process.stderr.write(`gemm-peak: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
}
