#!/usr/bin/env node
// The web app's server under load, measured from a second process on loopback:
//  1. requests/s and latency (p50/p99) of GET /api/jobs/:id/result and GET /api/models with
//     `--connections` concurrent keep-alive clients for `--seconds` each, side by side;
//  2. an upload + job of a 1-minute clip alone, then again while 4 other jobs (10 s clips) run:
//     the slowdown ratio and how long the upload itself took under that load.
//
//   node bench/server-load.mjs [--seconds 5] [--connections 16] [--concurrency 2]
//
// The server is `actionlens serve` (dist/, run `npm run build`) in a child process with a temp cache,
// the ../shared/models mirror, offline, result cache off. Prints one JSON object; also writes
// bench/out/server-load.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeClip } from './e2e-throughput.mjs';
import { REPO_ROOT } from './lib/dist-import.mjs';
import { percentile } from './lib/latency-stats.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { SHARED_DIR } from './lib/shared-data.mjs';

const { values: args } = parseArgs({
  strict: false,
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '2' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const log = (...m) => process.stderr.write(`${m.join(' ')}\n`);
const round = (x, d = 2) => Number(x.toFixed(d));

async function startServer(dir) {
  const config = path.join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'store:',
      `  cache_dir: ${JSON.stringify(path.join(dir, 'cache'))}`,
      `  mirrors: [${JSON.stringify(path.join(SHARED_DIR, 'models'))}]`,
      '  offline: true',
      'result_cache: { enabled: false }',
      'server:',
      '  port: 0',
      `  temp_dir: ${JSON.stringify(path.join(dir, 'temp'))}`,
      `  concurrency: ${Number(args.concurrency)}`,
      'log_level: warn',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/cli/main.js'), 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, XDG_CONFIG_HOME: dir },
  });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/[^/\s]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { base, child };
}

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function upload(base, file) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), path.basename(file));
  const t0 = performance.now();
  const info = await json(await fetch(`${base}/api/uploads`, { method: 'POST', body: form }));
  return { info, uploadMs: performance.now() - t0 };
}

async function waitDone(base, id) {
  for (;;) {
    const s = await json(await fetch(`${base}/api/jobs/${id}`));
    if (s.state === 'done') return s;
    if (s.state === 'failed' || s.state === 'cancelled') throw new Error(`job ${id} ${s.state}: ${JSON.stringify(s.error)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Upload + job + result: wall times of each part. */
async function runJob(base, file) {
  const t0 = performance.now();
  const { info, uploadMs } = await upload(base, file);
  const job = await json(
    await fetch(`${base}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: { kind: 'upload', upload_id: info.upload_id } }) }),
  );
  await waitDone(base, job.id);
  return { id: job.id, upload_ms: round(uploadMs), total_ms: round(performance.now() - t0) };
}

/** `CONNECTIONS` clients, each sending the next request when the last answered, for SECONDS. */
async function hammer(url) {
  const latencies = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const ms = { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1)) };
  return { requests: latencies.length, errors, rps: round(latencies.length / SECONDS, 1), ms };
}

export async function runServerLoad() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-bench-server-'));
  const { base, child } = await startServer(dir);
  try {
    const short = path.join(SHARED_DIR, 'media/arm_wrestling.mp4');
    const long = await makeClip(60);
    log('warm-up job (converts the model once)');
    const warm = await runJob(base, short);

    log(`load: ${CONNECTIONS} connections x ${SECONDS} s per route`);
    const routes = {
      result: await hammer(`${base}/api/jobs/${warm.id}/result`),
      models: await hammer(`${base}/api/models`),
      info: await hammer(`${base}/api/info`),
    };

    log('1-minute clip alone');
    const alone = await runJob(base, long);
    log('1-minute clip while 4 other jobs run');
    const others = [0, 1, 2, 3].map(() => runJob(base, short));
    const loaded = await runJob(base, long);
    const otherTimes = await Promise.all(others);

    const result = {
      bench: 'server-load',
      machine: machineInfo(),
      connections: CONNECTIONS,
      seconds_per_route: SECONDS,
      server_concurrency: Number(args.concurrency),
      routes,
      result_vs_models_rps: round(routes.result.rps / routes.models.rps),
      one_minute_job: {
        clip: path.basename(long),
        alone,
        with_4_others: loaded,
        others_total_ms: otherTimes.map((o) => o.total_ms),
        slowdown: round(loaded.total_ms / alone.total_ms),
        upload_slowdown: round(loaded.upload_ms / alone.upload_ms),
      },
    };
    mkdirSync(path.join(REPO_ROOT, 'bench/out'), { recursive: true });
    writeFileSync(path.join(REPO_ROOT, 'bench/out/server-load.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) process.stdout.write(`${JSON.stringify(await runServerLoad(), null, 2)}\n`);
