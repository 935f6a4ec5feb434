import type { z } from 'zod';

/** "analysis.events[0].x" from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

/** A value as a user would write it, shortened so one bad field cannot flood the message. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  let text: string;
  try {
    text = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * One line per issue: "<path>: <expected ...>, got <value>". Needs issues parsed with
 * { reportInput: true } so each carries its input. `allowedKeys` lists the valid names for an
 * unknown-key issue at a path (return undefined when not known).
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  root: string,
  allowedKeys?: (path: readonly PropertyKey[]) => readonly string[] | undefined,
): string[] {
  return issues.map((issue) => {
    const where = formatPath(issue.path) || root;
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys?.(issue.path);
      const names = issue.keys.map((k) => `${where === root ? '' : `${where}.`}${k}`).join(', ');
      return `${names}: unknown field${issue.keys.length > 1 ? 's' : ''}${allowed ? `; allowed here: ${allowed.join(', ')}` : ''}`;
    }
    return `${where}: ${issue.message}, got ${formatValue(issue.input)}`;
  });
}
