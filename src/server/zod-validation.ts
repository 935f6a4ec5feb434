// Route schemas are zod (the same ones the page parses with, src/core/api): fastify validates with
// them, and a failure names the field like the config loader does.
import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { ActionLensError } from '../core/errors.js';
import { formatIssues } from '../core/settings/index.js';

function isZod(schema: unknown): schema is ZodType {
  return typeof (schema as ZodType | undefined)?.safeParse === 'function';
}

export function installZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (!isZod(schema)) return () => true; // plugins' own JSON schemas (none validate input we rely on)
    return (data: unknown) => {
      const parsed = schema.safeParse(data, { reportInput: true });
      if (parsed.success) return { value: parsed.data };
      const lines = formatIssues(parsed.error.issues, httpPart ?? 'request');
      return { error: new ActionLensError('AL_ERR_BAD_REQUEST', `Invalid ${httpPart ?? 'request'}: ${lines.join('; ')}`) };
    };
  });
}
