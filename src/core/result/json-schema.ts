import { z } from 'zod';
import { ResultDocumentSchema } from './schema.js';

/** The JSON Schema (draft 2020-12) of the result document, as checked in at schemas/result.schema.json. */
export function resultJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ResultDocumentSchema);
  return { $schema, $comment: 'generated from src/core/result/schema.ts, do not edit', title: 'ActionLens result document', ...rest };
}
