import { z } from 'zod';
import { isPlainObject } from './deep-merge.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { AppConfigSchema } from './schema.js';

/**
 * JSON Schema for a user's config file (schemas/config.schema.json), for editor completion and
 * checks. A user file may set any subset of keys, so nothing is required; each leaf carries its
 * built-in default.
 */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(AppConfigSchema);
  return {
    $schema,
    $comment: 'generated from src/core/settings/schema.ts, do not edit',
    title: 'ActionLens config file',
    ...(withDefaults(rest, DEFAULT_CONFIG) as Record<string, unknown>),
  };
}

/** Drops `required` and adds `default` from the defaults object, walking schema and defaults together. */
function withDefaults(node: unknown, defaults: unknown): unknown {
  if (!isPlainObject(node)) return node;
  const { required: _required, properties, ...rest } = node;
  const out: Record<string, unknown> = { ...rest };
  if (isPlainObject(properties)) {
    const props: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(properties)) {
      const childDefault = isPlainObject(defaults) ? defaults[key] : undefined;
      const converted = withDefaults(child, childDefault);
      props[key] = isPlainObject(childDefault) || !isPlainObject(converted) ? converted : { ...converted, default: childDefault };
    }
    out.properties = props;
  }
  return out;
}
