// Checked before the long work starts, so a bad output path fails in a second, not after the analysis.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ActionLensError } from '../core/errors.js';

export function assertWritable(path: string, what = 'output file'): void {
  const full = resolve(path);
  const dir = dirname(full);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) {
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${what} ${path}: folder ${dir} does not exist.`, {
      hint: 'Create the folder first or choose another path.',
    });
  }
  if (!dirStat.isDirectory()) {
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${what} ${path}: ${dir} is not a folder.`);
  }
  if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${what} ${path}: it is a folder.`, {
      hint: 'Give a file name, e.g. result.json.',
    });
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ActionLensError('AL_ERR_OUTPUT_UNWRITABLE', `Cannot write ${what} ${path}: no write permission in ${dir}.`, {
      hint: 'Choose a path in a folder you can write to.',
    });
  }
}
