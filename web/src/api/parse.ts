// Checks a server answer against its wire schema, so a page/server version mismatch shows as one
// clear message instead of undefined fields deep in the page.
import type { z } from 'zod';
import { ActionLensError } from '../../../src/core/errors.js';
import { formatIssues } from '../../../src/core/settings/format-issues.js';

export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const lines = formatIssues(parsed.error.issues.slice(0, 5), 'response');
  throw new ActionLensError('AL_ERR_INTERNAL', `The server's answer to ${what} is not what this page expects: ${lines.join('; ')}.`, {
    hint: 'The page and the server may be from different actionlens versions: reload the page (Ctrl+F5 / Cmd+Shift+R).',
  });
}
