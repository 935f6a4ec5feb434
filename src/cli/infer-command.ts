// `actionlens infer <video...>`: every output path is checked before any work starts, results are
// written only when every video succeeded, and each write is atomic (no partial output files).
import type { Logger } from 'pino';
import { createRecognizer } from '../app/recognizer.js';
import { ActionLensError, isActionLensError } from '../core/errors.js';
import { timelineToCsv, csvField, TIMELINE_CSV_HEADER, type ResultDocument } from '../core/result/index.js';
import type { AppConfig } from '../core/settings/index.js';
import { saveConfig } from '../config/index.js';
import { writeOutputFile } from '../io/atomic-write.js';
import { assertWritable } from '../io/output-path.js';
import { checkInputFile } from '../video/input-file.js';
import { resolveModel } from '../models/resolve-model.js';
import type { InferFlags } from './flags.js';
import { createProgressView } from './progress.js';
import { formatAggregateTable } from './table.js';

export async function runInfer(videos: string[], flags: InferFlags, config: AppConfig, logger: Logger): Promise<number> {
  for (const out of [flags.json, flags.csv, flags.saveConfig]) if (out && out !== '-') assertWritable(out);
  if (flags.json === '-' && flags.csv === '-') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', '--json - and --csv - cannot both write to stdout.', { hint: 'Write one of them to a file.' });
  }
  await resolveModel(config.model); // an unknown model id or a bad spec file fails before anything is decoded
  for (const v of videos) checkInputFile(v);
  if (flags.saveConfig) await saveConfig(flags.saveConfig, config);

  const recognizer = await createRecognizer(config, { logger });
  const docs: ResultDocument[] = [];
  const failures: { video: string; error: unknown }[] = [];
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    for (const video of videos) {
      const progress = createProgressView(video, flags.progress !== false && Boolean(process.stderr.isTTY));
      try {
        const { document, cached } = await recognizer.analyze(video, { signal: abort.signal, onProgress: (p) => progress.update(p) });
        progress.stop();
        docs.push(document);
        const t = document.timings;
        logger.info({ video, cached, windows: document.timeline.length, total_ms: Math.round(t.total_ms) }, cached ? 'done (result cache)' : 'done');
        if (flags.json !== '-' && flags.csv !== '-') process.stdout.write(formatAggregateTable(document) + '\n');
      } catch (error) {
        progress.stop();
        failures.push({ video, error });
        logger.error({ video }, isActionLensError(error) ? error.toUserString() : String(error));
        if (abort.signal.aborted) break;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    await recognizer.close();
  }

  if (failures.length > 0) {
    if (flags.json || flags.csv) {
      logger.error(`${failures.length} of ${videos.length} video(s) failed: no output file written (results of the others are in the result cache; re-run without the failed files).`);
    }
    return 1;
  }
  if (flags.json) await emit(flags.json, JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
  if (flags.csv) await emit(flags.csv, docs.length === 1 ? timelineToCsv(docs[0]!.timeline) : multiCsv(docs));
  return 0;
}

async function emit(target: string, text: string): Promise<void> {
  if (target === '-') process.stdout.write(text);
  else await writeOutputFile(target, text);
}

/** Several videos in one CSV: the source file name as a first column. */
function multiCsv(docs: ResultDocument[]): string {
  const rows = [['source', ...TIMELINE_CSV_HEADER].join(',')];
  for (const d of docs) {
    const lines = timelineToCsv(d.timeline).trimEnd().split('\r\n').slice(1);
    for (const l of lines) rows.push(`${csvField(d.source.name)},${l}`);
  }
  return rows.join('\r\n') + '\r\n';
}
