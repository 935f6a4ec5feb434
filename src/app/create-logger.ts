// pino to stderr (stdout stays free for `--json -`). Human-readable lines on a terminal,
// JSON lines otherwise (CI logs, files, log shippers).
import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel, opts: { pretty?: boolean } = {}): PinoLogger {
  const usePretty = opts.pretty ?? Boolean(process.stderr.isTTY);
  if (usePretty) {
    return pino({ level }, pretty({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }));
  }
  return pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
}
