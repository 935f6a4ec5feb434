// Lets a web-only emscripten pthread build run in Node: the build spawns its pthreads with
// `new Worker(url)` and the worker script uses `self.onmessage`, `postMessage` and `importScripts`.
// We provide a global `Worker` backed by worker_threads and, inside each thread, the three globals
// the worker script expects. Nothing is fetched: importScripts reads local files.
import { Worker as NodeWorker } from 'node:worker_threads';

// Runs inside each worker thread before the emscripten worker script.
const WORKER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const vm = require('node:vm');
globalThis.self = globalThis;
self.location = { href: workerData.scriptPath };
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
globalThis.importScripts = (file) => vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
parentPort.on('message', (data) => self.onmessage({ data }));
importScripts(workerData.scriptPath);
`;

/** Threads created through the shim, so callers can unref or count them. */
export const shimmedThreads = new Set();

class WebWorkerOnNode {
  constructor(scriptPath) {
    this.onmessage = null;
    this.onerror = null;
    this.thread = new NodeWorker(WORKER_BOOTSTRAP, { eval: true, workerData: { scriptPath: String(scriptPath) } });
    this.thread.on('message', (data) => this.onmessage?.({ data }));
    this.thread.on('error', (error) => {
      if (this.onerror) this.onerror(error);
      else throw error;
    });
    this.thread.on('exit', () => shimmedThreads.delete(this.thread));
    shimmedThreads.add(this.thread);
  }

  postMessage(message, transfer) {
    this.thread.postMessage(message, transfer);
  }

  terminate() {
    void this.thread.terminate();
  }
}

/** Installs the global `Worker` once; refuses to replace a real one (browser, Deno, Node >= 22 flags). */
export function installWebWorkerShim() {
  if (globalThis.Worker === WebWorkerOnNode) return;
  if (typeof globalThis.Worker !== 'undefined') {
    throw new Error('installWebWorkerShim: a global Worker already exists; refusing to replace it. Run the threaded TFLite build in plain Node.');
  }
  globalThis.Worker = WebWorkerOnNode;
}

/** Lets the process exit while idle pthreads are still parked (emscripten keeps a pool of 8). */
export function unrefShimmedThreads() {
  for (const thread of shimmedThreads) thread.unref();
}
