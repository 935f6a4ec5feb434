import { z } from 'zod';

// Field builders whose every failure reads the same way: "expected <allowed>", so a message can
// always name the allowed range (the value and the path are added by format-issues.ts).

export function intIn(min: number, max: number) {
  const error = `expected an integer in ${min}..${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export function numberIn(min: number, max: number) {
  const error = `expected a number in ${min}..${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

/** A number in (0, max]. */
export function positiveUpTo(max: number) {
  const error = `expected a number > 0 and <= ${max}`;
  return z.number({ error }).positive({ error }).max(max, { error });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(' | ')}` });
}

export function nonEmptyString(what = 'a non-empty string') {
  const error = `expected ${what}`;
  return z.string({ error }).min(1, { error });
}

export function booleanField() {
  return z.boolean({ error: 'expected true or false' });
}

export function hex64() {
  const error = 'expected a sha256: 64 lowercase hex digits';
  return z.string({ error }).regex(/^[0-9a-f]{64}$/, { error });
}
