// Loads the TFLite WASM runtime shipped in @tensorflow/tfjs-tflite (the same emscripten build that
// tfjs-tflite's loadTFLiteModel picks in a browser) straight from its module factory, in Node.
// The factory would fetch() the .wasm by URL; we hand it the bytes instead, so nothing touches the network.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installWebWorkerShim, unrefShimmedThreads } from './node-worker-shim.mjs';

const require = createRequire(import.meta.url);

// emscripten warns about Atomics.wait on a browser's main thread; Node's main thread may block.
const BROWSER_ONLY_WARNING = 'Blocking on the main thread is very dangerous';

/** The two builds we use: 1 thread = the reference build of the fixtures; more threads need pthreads. */
export const TFLITE_WASM_BUILDS = {
  simd: 'tflite_web_api_cc_simd',
  simdThreaded: 'tflite_web_api_cc_simd_threaded',
};

/** Folder with the emscripten .js/.wasm pairs, found through normal package resolution. */
export function tfliteWasmDir() {
  let packageJson;
  try {
    packageJson = require.resolve('@tensorflow/tfjs-tflite/package.json');
  } catch (cause) {
    throw new Error(
      'Cannot find @tensorflow/tfjs-tflite (a devDependency). Run `npm install` in the repository root.',
      { cause },
    );
  }
  return path.join(path.dirname(packageJson), 'wasm');
}

/**
 * Instantiates one emscripten module.
 * @param {{ build: 'tflite_web_api_cc_simd' | 'tflite_web_api_cc_simd_threaded', log?: (line: string) => void }} options
 * @returns {Promise<object>} the emscripten Module (TFLiteWebModelRunner, _malloc, HEAPU8, ...)
 */
export async function loadTfliteWasmModule({ build, log = (line) => process.stderr.write(`${line}\n`) }) {
  const allowed = Object.values(TFLITE_WASM_BUILDS);
  if (!allowed.includes(build)) {
    throw new Error(`loadTfliteWasmModule: build '${build}' is not one of [${allowed.join(', ')}].`);
  }
  const dir = tfliteWasmDir();
  const scriptPath = path.join(dir, `${build}.js`);
  const wasmPath = path.join(dir, `${build}.wasm`);
  for (const file of [scriptPath, wasmPath]) {
    if (!existsSync(file)) {
      throw new Error(`TFLite WASM file missing: ${file}. Reinstall @tensorflow/tfjs-tflite@0.0.1-alpha.10.`);
    }
  }
  const threaded = build === TFLITE_WASM_BUILDS.simdThreaded;
  if (threaded) installWebWorkerShim();

  const moduleFactory = require(scriptPath);
  const wasmModule = await moduleFactory({
    wasmBinary: readFileSync(wasmPath),
    // Workers load the main script by this path, and the pthread worker script through locateFile.
    mainScriptUrlOrBlob: scriptPath,
    locateFile: (file) => path.join(dir, file),
    // Keep stdout for the JSON result: TFLite's INFO lines go to the log.
    print: log,
    printErr: (line) => { if (!String(line).startsWith(BROWSER_ONLY_WARNING)) log(line); },
  });
  // The pool of pthreads is loaded by now; parked threads must not keep the process alive.
  if (threaded) unrefShimmedThreads();
  return wasmModule;
}
