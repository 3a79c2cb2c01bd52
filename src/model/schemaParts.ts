/**
 * Small zod building blocks shared by the float and integer network schemas.
 * Every message states the rule and the offending value, so that, prefixed
 * with the JSON path (see formatIssues.ts), one line tells the user what to fix.
 */
import { z } from 'zod';

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

/** Any finite number. NaN and +-Infinity are refused (JSON cannot hold them,
 *  but programmatic callers can pass them). */
export const finite = z.number({ error: (iss) => `expected a finite number, got ${show(iss.input)}` });

/** An integer in [lo, hi]. */
export function intIn(lo: number, hi: number) {
  return z.number({ error: (iss) => `expected an integer from ${lo} to ${hi}, got ${show(iss.input)}` }).superRefine((v, ctx) => {
    if (!Number.isInteger(v) || v < lo || v > hi) {
      ctx.addIssue({ code: 'custom', message: `expected an integer from ${lo} to ${hi}, got ${String(v)}` });
    }
  });
}

/** A finite number >= 0. */
export const nonNegative = finite.superRefine((v, ctx) => {
  if (v < 0) ctx.addIssue({ code: 'custom', message: `expected a number >= 0, got ${v}` });
});

/** A finite number > 0. */
export const positive = finite.superRefine((v, ctx) => {
  if (!(v > 0)) ctx.addIssue({ code: 'custom', message: `expected a number > 0, got ${v}` });
});

export const finiteArray = z.array(finite, { error: (iss) => `expected an array of numbers, got ${show(iss.input)}` });

/** Layer names: identifiers, so they can name Verilog instances and files. */
export const layerName = z
  .string({ error: (iss) => `expected a layer name (string), got ${show(iss.input)}` })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (iss) => `layer name ${show(iss.input)} is invalid: use letters, digits and _ and start with a letter or _` })
  .refine((s) => s !== 'input', { error: 'layer name "input" is reserved for the network input' });

/** A reference to an earlier layer, or "input" for the network input. */
export const layerRef = z.string({ error: (iss) => `expected a layer name or "input", got ${show(iss.input)}` });
