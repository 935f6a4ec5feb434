import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionLensError, ERROR_CATALOGUE } from '../src/core/errors.js';

const doc = readFileSync(resolve(process.cwd(), 'docs/errors.md'), 'utf8');

describe('error catalogue', () => {
  it.each(Object.entries(ERROR_CATALOGUE))('%s is documented with its status', (code, { status }) => {
    expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });
  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/\| `(AL_ERR_[A-Z0-9_]+)` \|/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });
  it('errors carry code, status and hint', () => {
    const e = new ActionLensError('AL_ERR_UNKNOWN_MODEL', "No model 'x'.", { hint: 'see models list' });
    expect(e.status).toBe(404);
    expect(e.toUserString()).toBe("AL_ERR_UNKNOWN_MODEL: No model 'x'.\n  hint: see models list");
  });
});
