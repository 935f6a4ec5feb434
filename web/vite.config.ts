// Builds the page to dist/web, which the server serves as static files. In `vite dev` the API
// (and the onnxruntime-web files under /ort) come from a locally running `actionlens serve`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiServer = 'http://127.0.0.1:8731';

/**
 * onnxruntime-web's bundle names its .wasm by URL, so Vite copies it (14 MB) into assets/. The page
 * never fetches that copy: it sets wasmPaths to the server's /ort/, served from node_modules.
 */
function dropBundledOrtWasm(): Plugin {
  return {
    name: 'actionlens-drop-bundled-ort-wasm',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) if (/(^|\/)ort-wasm[^/]*\.wasm$/.test(fileName)) delete bundle[fileName];
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), dropBundledOrtWasm()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      output: {
        // Libraries in their own files: they change less often than the page, so browsers keep them cached.
        manualChunks(id) {
          if (!id.includes('/node_modules/')) return undefined;
          if (/\/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (id.includes('/node_modules/zod/')) return 'zod';
          return undefined;
        },
      },
      onwarn(warning, warn) {
        // zod ships a comment Rollup cannot place; it is dropped harmlessly. Our own code still warns.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
    },
  },
  server: {
    // The page imports src/core from outside web/.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: apiServer, ws: true },
      '/ort': { target: apiServer },
    },
  },
});
