/**
 * Configuration errors: each names the unit, the field, the value given and
 * the rule it breaks, e.g.
 *   unit dot_product: config field lanes = 0 is invalid: must be an integer from 1 to 64
 */
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Path = readonly PropertyKey[];

function valueAt(raw: unknown, p: Path): unknown {
  let v: unknown = raw;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function fieldName(p: Path): string {
  return p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? String(k) : `${s}.${String(k)}`), '');
}

function shown(v: unknown): string {
  if (v === undefined) return '(missing)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function formatIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length === 0 ? '' : ` in ${fieldName(issue.path)}`;
    return `config field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${where} ${issue.keys.length > 1 ? 'are' : 'is'} unknown`;
  }
  const field = fieldName(issue.path);
  const subject = field === '' ? 'config' : `config field ${field}`;
  return `${subject} = ${shown(valueAt(raw, issue.path))} is invalid: ${issue.message}`;
}

/** Validates `raw` with `schema`; throws a ConfigError listing every problem. */
export function parseConfig<S extends z.ZodType>(unit: string, schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => formatIssue(raw, i));
  throw new ConfigError(`unit ${unit}: ${problems.join('; ')}`);
}
