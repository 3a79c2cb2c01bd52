/**
 * A validated configuration as the JsonValue a Module's meta records, checked
 * at run time instead of cast: a zod output object is plain JSON data, except
 * that optional fields may be present as undefined (left out here, as
 * JSON.stringify would).
 */
import type { JsonValue } from '../dsl/moduleTypes.ts';

export function toJsonValue(v: unknown, where = 'config'): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`${where}: ${String(v)} is not a JSON number`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x: unknown, i) => toJsonValue(x, `${where}[${i}]`));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x, `${where}.${k}`);
    return out;
  }
  throw new TypeError(`${where}: a ${typeof v} is not JSON data`);
}
