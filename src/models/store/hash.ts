// sha256 checks for artifacts: full hex or (MMAction2) a prefix. Files are hashed streamed, by io/.
import { createHash } from 'node:crypto';
import { sha256File } from '../../io/file-sha256.js';
import type { ModelSourceSpec } from '../spec.js';

export { sha256File };

/** What a file must hash to: the full sha256, or (MMAction2) its first hex digits. */
export type ExpectedSha256 = Pick<ModelSourceSpec, 'sha256' | 'sha256_prefix'>;

export function sha256Bytes(bytes: Uint8Array | readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const chunk of bytes instanceof Uint8Array ? [bytes] : bytes) hash.update(chunk);
  return hash.digest('hex');
}

export function matchesExpected(actual: string, expected: ExpectedSha256): boolean {
  if (expected.sha256) return actual === expected.sha256;
  return expected.sha256_prefix !== undefined && actual.startsWith(expected.sha256_prefix);
}

/** The expected value as people read it: full hex, or `prefix…`. */
export function describeExpected(expected: ExpectedSha256): string {
  return expected.sha256 ?? `${expected.sha256_prefix}… (prefix)`;
}
