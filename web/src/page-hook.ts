// window.__actionlensPage: what browser tests read to check the page against the result document
// (the job id, the document, the timeline chart instance). One object, updated in place.
import type { ResultDocument } from '../../src/core/result/schema.js';

export interface ActionlensPageHook {
  jobId: string | null;
  result: ResultDocument | null;
  /** The chart.js instance of the timeline chart. */
  timelineChart: unknown;
}

declare global {
  interface Window {
    __actionlensPage?: ActionlensPageHook;
  }
}

export function publishPage(part: Partial<ActionlensPageHook>): void {
  const hook = (window.__actionlensPage ??= { jobId: null, result: null, timelineChart: null });
  Object.assign(hook, part);
}
