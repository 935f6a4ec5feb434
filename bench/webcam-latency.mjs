#!/usr/bin/env node
// Live (webcam) analysis, the two engines the page offers, side by side in one run:
//   server: the page's server engine (web/src/live/server-engine.ts) over a real WebSocket to the
//           server's live plugin (dist/server/live-routes.js: onnxruntime-node in worker threads)
//   page:   the page's in-browser engine (web/src/live/ort-web-stream.ts: onnxruntime-web, WASM),
//           run here in Node on the main thread, as it runs on the page's main thread
// Both are driven by the page's own live loop (web/src/live/live-loop.ts) with a simulated camera that
// replays carving_ice.mp4 (172x172, 5 fps) in real time, in two modes:
//   realtime: the model's rate (5 fps) -> frame-to-label latency (grab to label) as a user sees it
//   max:      as fast as the engine goes (one frame in flight) -> sustained inference fps
// Engines take turns (order rotating per pass) so machine noise falls on both.
//
//   node bench/webcam-latency.mjs [--seconds 15] [--passes 2] [--threads 1] [--warmup-seconds 2]
//
// --threads is the server's (onnxruntime-node intra-op threads per stream); the in-page engine runs one
// WASM thread here, as on a page that is not cross-origin isolated. Both run MoViNet in two staggered
// windows (src/core/stream-window.ts), so from the 26th frame on each frame costs two model steps:
// side by side in two workers on the server, one after the other in the page.
//
// Prints one JSON object on stdout (also written to bench/out/webcam-latency.json); progress on stderr.
// Needs `npm run build` (the server side comes from dist/); the page's modules are loaded from web/src
// through Vite's SSR loader, as the page's bundle would run them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { createServer as createViteServer } from 'vite';
import WebSocket from 'ws';
import { importDist, REPO_ROOT } from './lib/dist-import.mjs';
import { percentile, summarizeLatencies } from './lib/latency-stats.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const MODEL_ID = 'movinet-a0-stream-k600';
const OUT_FILE = path.join(REPO_ROOT, 'bench/out/webcam-latency.json');

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '15' },
      passes: { type: 'string', default: '2' },
      threads: { type: 'string', default: '1' },
      'warmup-seconds': { type: 'string', default: '2' },
    },
  });
  const num = (name, min, max, integer) => {
    const v = Number(values[name]);
    if (!(v >= min && v <= max) || (integer && !Number.isInteger(v))) throw new Error(`--${name} is '${values[name]}'; use ${integer ? 'an integer' : 'a number'} in [${min}, ${max}].`);
    return v;
  };
  return { seconds: num('seconds', 1, 600, false), passes: num('passes', 1, 20, true), threads: num('threads', 1, 16, true), warmupSeconds: num('warmup-seconds', 0, 60, false) };
}

const round = (x, digits = 3) => Number(x.toFixed(digits));

/** The page's modules (TypeScript under web/src) through Vite's SSR loader; node_modules load natively. */
async function loadPageModules() {
  const vite = await createViteServer({
    root: REPO_ROOT,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  const load = (file) => vite.ssrLoadModule(`/web/src/live/${file}`);
  const [stream, loop, serverEngine] = await Promise.all([load('ort-web-stream.ts'), load('live-loop.ts'), load('server-engine.ts')]);
  return { stream, loop, serverEngine, close: () => vite.close() };
}

/**
 * Runs the live loop on `engine` for `seconds` after `warmupSeconds`, the camera replaying `frames` at
 * `cameraFps`; every latency and inference time after the warm-up is kept.
 */
async function runLoop(startLiveLoop, engine, { frames, cameraFps, fps, seconds, warmupSeconds }) {
  const t0 = performance.now();
  const camera = { grab: () => frames[Math.floor(((performance.now() - t0) * cameraFps) / 1000) % frames.length] };
  const measuredFrom = t0 + warmupSeconds * 1000;
  const latencies = [];
  const inferMs = [];
  const top1 = new Map();
  let cpuStart = process.cpuUsage();
  let skippedStart = 0;
  const warmupTimer = setTimeout(() => {
    cpuStart = process.cpuUsage();
    skippedStart = loop.stats().skipped;
  }, warmupSeconds * 1000);
  let failure;
  const loop = startLiveLoop({
    fps,
    engine,
    source: camera,
    windowMs: (warmupSeconds + seconds) * 1000,
    onResult: (r) => {
      if (r.tClient < measuredFrom) return;
      latencies.push(r.latencyMs);
      inferMs.push(r.inferMs);
      const label = r.topk[0]?.label ?? '';
      top1.set(label, (top1.get(label) ?? 0) + 1);
    },
    onError: (e) => (failure = e),
  });
  await new Promise((resolve) => setTimeout(resolve, (warmupSeconds + seconds) * 1000));
  clearTimeout(warmupTimer);
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - measuredFrom;
  const skipped = loop.stats().skipped - skippedStart;
  await loop.stop();
  if (failure) throw failure;
  if (latencies.length === 0) throw new Error('no frame was scored after the warm-up');
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    frames: latencies.length,
    infer_fps: round((latencies.length * 1000) / wallMs),
    ...(fps < 100 ? { skipped_slots: skipped } : {}), // meaningless when the rate is 'as fast as possible'
    latency_ms: { ...summarizeLatencies(latencies), p95: round(percentile(sorted, 95)) },
    infer_ms: summarizeLatencies(inferMs),
    // Process CPU (the server's worker thread is in this process too) per scored frame.
    cpu_ms_per_frame: round((cpu.user + cpu.system) / 1000 / latencies.length),
    top1: Object.fromEntries([...top1].sort((a, b) => b[1] - a[1]).slice(0, 3)),
  };
}

export async function runWebcamLatency({ seconds = 15, passes = 2, threads = 1, warmupSeconds = 2 } = {}) {
  const { liveRoutes } = await importDist('server/live-routes.js');
  const { prepareModel } = await importDist('app/prepare-model.js');
  const { DEFAULT_CONFIG } = await importDist('core/settings/index.js');
  const { silentLogger } = await importDist('core/logger.js');
  const { decodeFrames, locateFfmpeg } = await importDist('video/index.js');
  const page = await loadPageModules();

  const cacheDir = path.join(REPO_ROOT, 'bench/out/cache');
  const config = {
    ...structuredClone(DEFAULT_CONFIG),
    store: { cache_dir: cacheDir, mirrors: [path.join(SHARED_DIR, 'models')], offline: true },
    runtime: { ...DEFAULT_CONFIG.runtime, threads },
  };
  const app = Fastify({ logger: false });
  await app.register(liveRoutes, {
    config,
    logger: silentLogger,
    prepare: (modelId, signal) => prepareModel({ ...config, model: modelId }, { logger: silentLogger, signal }),
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const engines = [];
  try {
    // What the page does: the model's description, then (in-page engine) its ONNX from the server.
    process.stderr.write('webcam-latency: preparing the model and the frames\n');
    const info = await (await fetch(`${base}/api/live/${MODEL_ID}/info`)).json();
    const onnx = new Uint8Array(await (await fetch(`${base}${info.onnx_url}`)).arrayBuffer());
    const frames = [];
    const videoPath = path.join(SHARED_DIR, 'media/carving_ice.mp4');
    for await (const f of decodeFrames(videoPath, { geometry: { kind: 'exact', width: info.width, height: info.height }, fps: info.default_fps, tools: locateFfmpeg() })) frames.push(f.data);

    // One WASM thread: onnxruntime-web's threaded WASM needs a browser (in Node it cannot start its workers).
    const stream = await page.stream.createOrtWebStream(info, onnx, { threads: 1 });
    const pageEngine = page.stream.ortWebEngine(stream, 5);
    engines.push(() => stream.dispose());
    const serverEngine = await page.serverEngine.connectServerEngine({
      apiBase: '',
      token: null,
      model: MODEL_ID,
      width: info.width,
      height: info.height,
      pageUrl: `${base}/`,
      openSocket: (url) => new WebSocket(url),
    });
    engines.push(() => serverEngine.close());
    const byName = { server: serverEngine, page: pageEngine };

    const modes = { realtime: info.default_fps, max: 1000 };
    const runs = { server: { realtime: [], max: [] }, page: { realtime: [], max: [] } };
    for (let pass = 0; pass < passes; pass++) {
      const order = pass % 2 === 0 ? ['server', 'page'] : ['page', 'server'];
      for (const [mode, fps] of Object.entries(modes)) {
        for (const name of order) {
          process.stderr.write(`webcam-latency: pass ${pass + 1}/${passes}, ${name}, ${mode} (${seconds} s)\n`);
          runs[name][mode].push(await runLoop(page.loop.startLiveLoop, byName[name], { frames, cameraFps: info.default_fps, fps, seconds, warmupSeconds }));
        }
      }
    }

    // Per engine and mode: the pass with the median frame-to-label p50 (realtime) or fps (max).
    const pick = (list, key) => [...list].sort((a, b) => key(a) - key(b))[Math.floor((list.length - 1) / 2)];
    const summary = {};
    for (const name of Object.keys(runs)) {
      summary[name] = { realtime: pick(runs[name].realtime, (r) => r.latency_ms.p50), max: pick(runs[name].max, (r) => r.infer_fps) };
    }
    const ratio = (a, b) => round(a / b);
    const s = summary.server;
    const p = summary.page;
    return {
      bench: 'webcam-latency',
      machine: machineInfo(),
      onnxruntime_web: JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/onnxruntime-web/package.json'), 'utf8')).version,
      setup: { model: MODEL_ID, clip: 'carving_ice.mp4', frame: `${info.width}x${info.height}`, model_fps: info.default_fps, seconds, warmup_seconds: warmupSeconds, passes, server_threads: threads, page_wasm_threads: 1 },
      engines: summary,
      server_over_page: {
        realtime_latency_p50: ratio(s.realtime.latency_ms.p50, p.realtime.latency_ms.p50),
        realtime_latency_p95: ratio(s.realtime.latency_ms.p95, p.realtime.latency_ms.p95),
        realtime_infer_fps: ratio(s.realtime.infer_fps, p.realtime.infer_fps),
        max_infer_fps: ratio(s.max.infer_fps, p.max.infer_fps),
        max_latency_p50: ratio(s.max.latency_ms.p50, p.max.latency_ms.p50),
        infer_ms_p50: ratio(s.max.infer_ms.p50, p.max.infer_ms.p50),
        cpu_ms_per_frame: ratio(s.max.cpu_ms_per_frame, p.max.cpu_ms_per_frame),
      },
      all_passes: runs,
    };
  } finally {
    for (const dispose of engines.reverse()) await dispose();
    await app.close();
    await page.close();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  runWebcamLatency(parseCli(process.argv.slice(2)))
    .then((result) => {
      const text = `${JSON.stringify(result, null, 2)}\n`;
      mkdirSync(path.dirname(OUT_FILE), { recursive: true });
      writeFileSync(OUT_FILE, text);
      process.stdout.write(text);
      process.exit(0); // onnxruntime-web may keep WASM worker threads parked
    })
    .catch((error) => {
      process.stderr.write(`webcam-latency: ${error.stack ?? error.message}\n`);
      process.exit(1);
    });
}
