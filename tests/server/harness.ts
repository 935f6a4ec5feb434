// A real actionlens server for tests: loopback, a free port, its own temp area and model cache, the
// shared folder as the model mirror, offline (nothing may reach the network).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONFIG, applyOverrides, type AppConfig, type ConfigOverrides } from '../../src/core/settings/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { createServer, type ActionLensServer } from '../../src/server/create-server.js';
import { MODEL_MIRROR } from '../e2e/cli.js';

export interface TestServer {
  server: ActionLensServer;
  config: AppConfig;
  /** http://127.0.0.1:<port> (no trailing slash). */
  base: string;
  tempDir: string;
  /** Entries in the server's temp area (uploads, jobs). */
  tempEntries(): string[];
  close(): Promise<void>;
}

export async function startTestServer(overrides: ConfigOverrides = {}, opts: { cacheDir?: string } = {}): Promise<TestServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'actionlens-server-test-'));
  const tempDir = path.join(root, 'temp');
  const base: ConfigOverrides = {
    store: { cache_dir: opts.cacheDir ?? path.join(root, 'cache'), mirrors: [MODEL_MIRROR], offline: true },
    server: { port: 0, temp_dir: tempDir },
    runtime: { threads: 1 },
    log_level: 'silent',
  };
  const config = applyOverrides(applyOverrides(DEFAULT_CONFIG, base), overrides);
  const server = await createServer(config, { logger: silentLogger });
  const address = await server.listen();
  return {
    server,
    config,
    base: address.replace(/\/(\?.*)?$/, ''),
    tempDir,
    tempEntries: () => readdirSync(tempDir).filter((e) => !e.startsWith('.')),
    async close() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Reads a server-sent events stream until it ends; returns the events in order. */
export async function readEvents(url: string, init: RequestInit = {}): Promise<{ event: string; data: unknown }[]> {
  const res = await fetch(url, init);
  if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status} ${await res.text()}`);
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return events;
}

/** multipart/form-data with one file field. */
export function uploadForm(bytes: Uint8Array, fileName: string, field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new Blob([bytes]), fileName);
  return form;
}
