// Label maps shipped in assets/labels (one label a line, in output order) and their parser.
// Platform-free: Node reads the file with store/load-labels.ts, the browser fetches it.
import { ActionLensError } from '../core/errors.js';

/** The label maps in assets/labels, pinned by sha256 so an edited file is noticed. */
export const LABEL_MAPS = {
  kinetics600: {
    file: 'kinetics600.txt',
    sha256: '8dfca4202520ea8291ce0242ef33b006d0a0772b409663c090a2876bc1978dcf',
  },
  kinetics400: {
    file: 'kinetics400.txt',
    sha256: 'e9f2806fe9109b851a80a74841244f6f8c9d10917fa0229cd82bab67f2f8e28f',
  },
} as const;

/**
 * Splits a label map into labels (LF or CRLF, one trailing newline allowed) and checks that it has
 * exactly `numClasses` non-empty labels. `source` names the file in error messages.
 */
export function parseLabelMap(text: string, numClasses: number, source: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank >= 0) {
    throw new ActionLensError('AL_ERR_LABELS_INVALID', `Label map ${source} has an empty label on line ${blank + 1}.`, {
      hint: 'Each line must hold one label, in the model output order, with no blank lines.',
    });
  }
  if (lines.length !== numClasses) {
    throw new ActionLensError(
      'AL_ERR_LABELS_INVALID',
      `Label map ${source} has ${lines.length} labels but the model has num_classes=${numClasses}.`,
      { hint: 'Use the label map that matches the model (one label per output class), or fix num_classes in the spec.' },
    );
  }
  return lines.map((line) => line.trim());
}
