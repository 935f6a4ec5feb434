// Versions that go into every result document, so a result says what produced it.
import { readFileSync } from 'node:fs';
import { packageRoot } from '../config/index.js';

let cachedVersion: string | undefined;

export function actionlensVersion(): string {
  if (cachedVersion) return cachedVersion;
  const root = packageRoot();
  try {
    cachedVersion = root ? (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version : 'unknown';
  } catch {
    cachedVersion = 'unknown';
  }
  return cachedVersion;
}

export function platformName(): string {
  return `${process.platform}-${process.arch}`;
}
