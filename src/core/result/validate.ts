import { ActionLensError } from '../errors.js';
import { formatIssues } from '../settings/format-issues.js';
import { ResultDocumentSchema, type ResultDocument } from './schema.js';

/**
 * Checks a result document (e.g. read back from the cache) and returns a typed copy.
 * Throws AL_ERR_RESULT_INVALID naming each bad path, e.g. "timeline[3].topk[0].score".
 */
export function validateResultDocument(x: unknown): ResultDocument {
  const parsed = ResultDocumentSchema.safeParse(x, { reportInput: true });
  if (parsed.success) return parsed.data;
  const lines = formatIssues(parsed.error.issues.slice(0, 10), 'result');
  const more = parsed.error.issues.length > 10 ? `\n  ... and ${parsed.error.issues.length - 10} more` : '';
  throw new ActionLensError('AL_ERR_RESULT_INVALID', `Invalid result document:\n  ${lines.join('\n  ')}${more}`, {
    hint: 'A cached result from another actionlens version is recomputed; a hand-edited one must match schemas/result.schema.json.',
  });
}
