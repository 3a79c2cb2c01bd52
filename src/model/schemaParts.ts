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

/**
 * Float network parameters (weights, biases, batch-norm statistics, slopes,
 * value ranges) are limited in magnitude (docs/limits.md): far beyond any
 * trained network's, and small enough that the compiler's derived constants
 * (products and ratios of a few of them) stay finite in fp64 and in the fp32
 * stages. 1e308 is refused here, by path, instead of overflowing later.
 */
export const FLOAT_PARAM_LIMIT = 1e9;
/** Variances are squares: their limit is the square of the others'. */
export const FLOAT_VARIANCE_LIMIT = 1e18;
/** The smallest batch-norm epsilon (PyTorch 1e-5, Keras 1e-3; 1e-12 is far below both). */
export const MIN_BN_EPSILON = 1e-12;

export const floatParam = finite.superRefine((v, ctx) => {
  if (Math.abs(v) > FLOAT_PARAM_LIMIT) ctx.addIssue({ code: 'custom', message: `${v} is outside the float parameter range [-1e9, 1e9] (docs/limits.md)` });
});
export const floatParamArray = z.array(floatParam, { error: (iss) => `expected an array of numbers, got ${show(iss.input)}` });
export const floatVariance = nonNegative.superRefine((v, ctx) => {
  if (v > FLOAT_VARIANCE_LIMIT) ctx.addIssue({ code: 'custom', message: `variance ${v} is above the limit 1e18 (docs/limits.md)` });
});
export const bnEpsilon = positive.superRefine((v, ctx) => {
  if (v < MIN_BN_EPSILON || v > 1) ctx.addIssue({ code: 'custom', message: `epsilon ${v} is outside [1e-12, 1] (docs/limits.md)` });
});
