// A progress bar on a terminal (stderr); nothing when stderr is not a TTY (CI logs, pipes).
import cliProgress from 'cli-progress';
import type { AnalysisProgress } from '../app/recognizer.js';

export interface ProgressView {
  update(p: AnalysisProgress): void;
  stop(): void;
}

export function createProgressView(label: string, enabled: boolean): ProgressView {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} {stage} |{bar}| {percentage}% {detail}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { stage: 'probe', detail: '' });
  return {
    update(p) {
      const detail =
        p.stage === 'analyze'
          ? `${p.framesDone ?? 0} frames, ${p.videoSec?.toFixed(1) ?? '?'} s${p.etaSec !== undefined ? `, ETA ${Math.ceil(p.etaSec)} s` : ''}`
          : '';
      bar.update(Math.round((p.fraction ?? 0) * 100), { stage: p.stage.padEnd(8), detail });
    },
    stop() {
      bar.stop();
    },
  };
}
