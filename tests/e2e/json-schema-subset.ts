// A structural check of a value against a JSON Schema, for the keywords the generated
// schemas/*.schema.json use. A keyword it does not know is an error, never silently passed,
// so a new keyword in the generated schema makes the test say so instead of checking less.
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$comment', 'title', 'description', 'format', 'default', 'examples']);
const HANDLED = new Set([
  'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'anyOf',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  if (t === 'integer') return Number.isInteger(v);
  return typeOf(v) === t;
}

/** Returns one line per violation, each starting with the JSON path ("$.timeline[0].topk"). */
export function checkJsonSchema(value: unknown, schema: Schema, at = '$'): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !HANDLED.has(key)) errors.push(`${at}: schema keyword "${key}" is not supported by this checker`);
  }
  const s = schema as {
    type?: string | string[]; const?: unknown; enum?: unknown[]; pattern?: string; minLength?: number; maxLength?: number;
    minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number;
    properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean | Schema;
    items?: Schema; minItems?: number; maxItems?: number; anyOf?: Schema[];
  };
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => matchesType(value, t))) return [...errors, `${at}: expected ${types.join('|')}, got ${typeOf(value)}`];
  }
  if ('const' in s && JSON.stringify(value) !== JSON.stringify(s.const)) errors.push(`${at}: expected ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (s.anyOf && s.anyOf.every((alt) => checkJsonSchema(value, alt, at).length > 0)) errors.push(`${at}: matches none of anyOf`);
  if (typeof value === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${at}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${at}: ${value} < minimum ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${at}: ${value} > maximum ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push(`${at}: ${value} <= ${s.exclusiveMinimum}`);
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) errors.push(`${at}: ${value} >= ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`);
    if (s.items) value.forEach((item, i) => errors.push(...checkJsonSchema(item, s.items!, `${at}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) errors.push(`${at}: missing required "${key}"`);
    for (const [key, v] of Object.entries(obj)) {
      const sub = s.properties?.[key];
      if (sub) errors.push(...checkJsonSchema(v, sub, `${at}.${key}`));
      else if (s.additionalProperties === false) errors.push(`${at}: unexpected property "${key}"`);
      else if (typeof s.additionalProperties === 'object') errors.push(...checkJsonSchema(v, s.additionalProperties, `${at}.${key}`));
    }
  }
  return errors;
}
