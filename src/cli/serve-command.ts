// `actionlens serve`: the web app. Prints the address (with the token when one is needed), then
// runs until Ctrl-C / SIGTERM, when jobs are cancelled and the temp area is emptied.
import type { Logger } from '../core/logger.js';
import type { AppConfig } from '../core/settings/index.js';
import type { ConfigOverrides } from '../core/settings/index.js';
import { createServer } from '../server/create-server.js';
import { commonOverrides, type CommonFlags } from './flags.js';

export interface ServeFlags extends CommonFlags {
  host?: string;
  port?: number;
  token?: string;
  samples?: string;
  concurrency?: number;
}

export function serveOverrides(f: ServeFlags): ConfigOverrides {
  const o = commonOverrides(f);
  const s: NonNullable<ConfigOverrides['server']> = {};
  if (f.host !== undefined) s.host = f.host;
  if (f.port !== undefined) s.port = f.port;
  if (f.token !== undefined) s.token = f.token;
  if (f.samples !== undefined) s.samples_dir = f.samples;
  if (f.concurrency !== undefined) s.concurrency = f.concurrency;
  if (Object.keys(s).length > 0) o.server = s;
  return o;
}

export async function runServe(config: AppConfig, logger: Logger): Promise<number> {
  const server = await createServer(config, { logger });
  const address = await server.listen();
  process.stdout.write(`actionlens is serving on ${address}\n`);
  if (server.token && !config.server.token) {
    process.stdout.write('A token was generated because the server is not bound to loopback; the address above carries it.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await server.close();
  return 0;
}
