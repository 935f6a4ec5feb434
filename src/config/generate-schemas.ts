import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resultJsonSchema } from '../core/result/json-schema.js';
import { configJsonSchema } from '../core/settings/json-schema.js';
import { writeOutputFile } from '../io/atomic-write.js';
import { packageRoot } from './package-paths.js';

/** The generated schema files, by name, with the exact text that is checked in under schemas/. */
export function schemaFiles(): { name: string; text: string }[] {
  const text = (schema: Record<string, unknown>): string => `${JSON.stringify(schema, null, 2)}\n`;
  return [
    { name: 'result.schema.json', text: text(resultJsonSchema()) },
    { name: 'config.schema.json', text: text(configJsonSchema()) },
  ];
}

/** Writes every generated schema into `dir` (default: the package's schemas/ folder). Returns the paths. */
export async function writeSchemaFiles(dir?: string): Promise<string[]> {
  const target = dir ?? path.join(packageRoot() ?? process.cwd(), 'schemas');
  await mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const { name, text } of schemaFiles()) {
    const file = path.join(target, name);
    await writeOutputFile(file, text);
    written.push(file);
  }
  return written;
}

// `node dist/config/generate-schemas.js` regenerates schemas/ after a schema change.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const file of await writeSchemaFiles()) console.log(`wrote ${file}`);
}
