// The ActionLensError a promise rejects with; the test fails when it resolves or rejects with
// anything else.
import { expect } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';

export async function rejection(promise: Promise<unknown>): Promise<ActionLensError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionLensError);
  return error as ActionLensError;
}
