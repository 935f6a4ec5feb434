// The benches run the built package (dist/), as users do: `npm run bench` builds first.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_DIR = path.join(REPO_ROOT, 'dist');

/** Imports `dist/<relativePath>`; says to build first when it is missing. */
export async function importDist(relativePath) {
  const file = path.join(DIST_DIR, relativePath);
  if (!existsSync(file)) throw new Error(`${file} not found: run \`npm run build\` first (the benches use the built package).`);
  return import(pathToFileURL(file).href);
}
