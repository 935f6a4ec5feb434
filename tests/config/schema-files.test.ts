import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles, writeSchemaFiles } from '../../src/config/generate-schemas.js';
import { ResultDocumentSchema } from '../../src/core/result/schema.js';
import { DEFAULT_CONFIG } from '../../src/core/settings/defaults.js';

describe('generated JSON Schema files', () => {
  it('the checked-in schemas/ equal what the generator produces (run it after changing a schema)', () => {
    for (const { name, text } of schemaFiles()) {
      expect(readFileSync(path.resolve('schemas', name), 'utf8'), `schemas/${name} is stale`).toBe(text);
    }
  });

  it('says it is generated, and requires every top-level field of the zod schema', () => {
    const schema = JSON.parse(schemaFiles().find((f) => f.name === 'result.schema.json')!.text) as { $comment: string; required: string[]; additionalProperties: boolean };
    expect(schema.$comment).toMatch(/generated.*do not edit/);
    expect(schema.required.sort()).toEqual(Object.keys(ResultDocumentSchema.shape).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it('config.schema.json requires nothing (a user file sets any subset) and carries every default', () => {
    const text = schemaFiles().find((f) => f.name === 'config.schema.json')!.text;
    expect(text).not.toContain('"required"');
    type Node = { properties?: Record<string, Node>; default?: unknown };
    const defaultsOf = (node: Node): unknown =>
      node.properties ? Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, defaultsOf(v)])) : node.default;
    expect(defaultsOf(JSON.parse(text) as Node)).toEqual(DEFAULT_CONFIG);
  });

  it('the generator writes the files it lists', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-schemas-'));
    try {
      const written = await writeSchemaFiles(path.join(dir, 'schemas'));
      expect(written.map((f) => path.basename(f))).toEqual(schemaFiles().map((f) => f.name));
      for (const { name, text } of schemaFiles()) expect(readFileSync(path.join(dir, 'schemas', name), 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
