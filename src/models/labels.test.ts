import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../core/errors.js';
import { parseLabelMap } from './labels.js';

describe('parseLabelMap', () => {
  it('accepts LF or CRLF, a BOM and one trailing newline', () => {
    expect(parseLabelMap('a\nb c\n', 2, 'x.txt')).toEqual(['a', 'b c']);
    expect(parseLabelMap('\uFEFFa\r\nb\r\n', 2, 'x.txt')).toEqual(['a', 'b']);
    expect(parseLabelMap('a\nb', 2, 'x.txt')).toEqual(['a', 'b']);
  });

  it('rejects blank labels and a wrong count, naming the file', () => {
    expect(() => parseLabelMap('a\n\nb\n', 3, 'x.txt')).toThrow(/x\.txt has an empty label on line 2/);
    try {
      parseLabelMap('a\nb\n', 3, 'x.txt');
      expect.unreachable();
    } catch (e) {
      expect((e as ActionLensError).code).toBe('AL_ERR_LABELS_INVALID');
      expect((e as ActionLensError).message).toContain('2 labels but the model has num_classes=3');
    }
  });
});
