/**
 * Turns a zod failure into one line that names the field, the value found
 * there and the rule it broke, so a user can fix a file without reading the
 * schema.
 */
import { z } from 'zod';

/** A strict object whose unknown-key error lists the fields it accepts. */
export function closedObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `the fields allowed here are ${allowed}` : undefined),
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

function show(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** One line per issue: `<field>: <value> is invalid: <rule>`. */
export function describeZodError(err: z.ZodError, input: unknown): string {
  // Unknown fields first: a misspelt key also shows up as a missing one, and
  // the misspelling is the thing to fix.
  const issues = [...err.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${fieldName(issue.path)}: ` : '';
        return `${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: ${issue.message}`;
      }
      const v = valueAt(input, issue.path);
      if (v === undefined) return `${fieldName(issue.path)}: missing: this field is required`;
      return `${fieldName(issue.path)}: ${show(v)} is invalid: ${issue.message}`;
    })
    .join('; ');
}
