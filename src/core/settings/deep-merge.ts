/** Every field optional, at every depth; arrays are replaced whole, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A new object: `override` laid over `base`. Plain objects merge key by key; anything else in
 * `override` (scalars, arrays, null) replaces the base value; undefined leaves it. Neither input is
 * changed, and the result shares no objects or arrays with them.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return cloneData(base);
  if (!isPlainObject(base) || !isPlainObject(override)) return cloneData(override);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
    if (key === '__proto__') continue; // a config file must not be able to reach Object.prototype
    out[key] = deepMerge(base[key], override[key]);
  }
  return out;
}

function cloneData(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(cloneData);
  if (isPlainObject(x)) return deepMerge({}, x);
  return x;
}
