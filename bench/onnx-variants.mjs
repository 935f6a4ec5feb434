#!/usr/bin/env node
// A/B of ONNX files of the MoViNet-A0 stream (e.g. before and after a converter change) on real
// frames, interleaved in blocks so load from other processes hits all alike. Besides wall time it
// reports CPU time per frame (process.cpuUsage), which other processes on a shared machine disturb
// far less: the figure to trust when deciding whether a graph change helps.
//
//   node bench/onnx-variants.mjs a.onnx b.onnx [--frames 120] [--passes 3] [--threads 1]
//
// Prints one JSON object. Every file must have the converter's interface: an image input, states
// paired as `<state>` -> `<state>_out`, quantized inputs (uint8) listed in the ONNX metadata.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { importDist } from './lib/dist-import.mjs';
import { decodeRgbFrames, movinetDecodeArgs } from './lib/ffmpeg-frames.mjs';
import { summarizeLatencies } from './lib/latency-stats.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const BLOCK_FRAMES = 20;

/** States at real zero: zeros, or a quantized input's zero point. */
function stateFeedsFor(session, quantized) {
  return Object.fromEntries(session.inputMetadata.filter((m) => m.name !== 'image').map((m) => {
    const n = m.shape.reduce((a, b) => a * b, 1);
    if (m.type === 'uint8') return [m.name, new ort.Tensor('uint8', new Uint8Array(n).fill(quantized.get(m.name)?.zeroPoint ?? 0), m.shape)];
    return [m.name, m.type === 'int32' ? new ort.Tensor('int32', new Int32Array(n), m.shape) : new ort.Tensor('float32', new Float32Array(n), m.shape)];
  }));
}

async function openVariant(file, threads) {
  const bytes = readFileSync(file);
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const { readOnnxMetadata } = await importDist('runtime/onnx-metadata.js');
  const { decodeQuantizedInputs, QUANTIZED_INPUTS_METADATA_KEY } = await importDist('core/quantized-input.js');
  const { createStreamFrameEncoder } = await importDist('core/frame-to-tensor.js');
  const quantized = decodeQuantizedInputs(readOnnxMetadata(bytes)[QUANTIZED_INPUTS_METADATA_KEY]);
  const imageQuantization = quantized.get('image');
  const encode = createStreamFrameEncoder({ width: 172, height: 172, valueScale: 1 / 255, ...(imageQuantization ? { quantization: imageQuantization } : {}) });
  let states = stateFeedsFor(session, quantized);
  return {
    name: path.basename(file),
    reset: () => { states = stateFeedsFor(session, quantized); },
    async step(rgb) {
      const image = encode({ index: 0, ptsSec: 0, width: 172, height: 172, data: rgb });
      const out = await session.run({ ...states, image: new ort.Tensor(image.type, image.data, image.dims) });
      for (const name of Object.keys(states)) states[name] = out[`${name}_out`];
      return out.logits.data;
    },
    close: () => session.release(),
  };
}

export async function runOnnxVariants({ files, frames = 120, passes = 3, threads = 1 }) {
  const rgb = await decodeRgbFrames({ videoPath: path.join(SHARED_DIR, 'media/arm_wrestling.mp4'), args: movinetDecodeArgs({ fps: 'all' }), width: 172, height: 172 });
  const inputs = rgb.slice(0, frames); // rgb24: each variant encodes them as its image input wants
  const variants = [];
  for (const f of files) variants.push(await openVariant(f, threads));
  const wall = variants.map(() => []);
  const cpu = variants.map(() => []);
  for (const v of variants) for (const frame of inputs.slice(0, BLOCK_FRAMES)) await v.step(frame); // warm-up
  for (let p = 0; p < passes; p++) {
    variants.forEach((v) => v.reset());
    for (let start = 0, block = p; start < inputs.length; start += BLOCK_FRAMES, block++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (k + block) % variants.length;
        for (const frame of inputs.slice(start, start + BLOCK_FRAMES)) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await variants[i].step(frame);
          wall[i].push(performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpu[i].push((c.user + c.system) / 1000);
        }
      }
    }
  }
  for (const v of variants) await v.close();
  return {
    bench: 'onnx-variants',
    threads,
    frames_per_pass: inputs.length,
    passes,
    variants: variants.map((v, i) => ({ file: v.name, wall_ms_per_frame: summarizeLatencies(wall[i]), cpu_ms_per_frame: summarizeLatencies(cpu[i]) })),
    machine: machineInfo(),
  };
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    frames: { type: 'string', default: '120' }, passes: { type: 'string', default: '3' }, threads: { type: 'string', default: '1' },
  } });
  if (positionals.length < 1) throw new Error('Pass one or more .onnx files to compare.');
  runOnnxVariants({ files: positionals, frames: Number(values.frames), passes: Number(values.passes), threads: Number(values.threads) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => { process.stderr.write(`onnx-variants: ${e.stack ?? e.message}\n`); process.exitCode = 1; });
}
