/** Zod field schemas shared by generator configs. */
import { z } from 'zod';
import { type Shape, MAX_WIDTH, shape } from '../../src/arith/index.ts';
import { identifierProblem } from '../dsl/identifier.ts';

/** A module name: a valid, non-reserved identifier. */
export const moduleName = z.string().superRefine((v, ctx) => {
  const p = identifierProblem(v);
  if (p !== undefined) ctx.addIssue({ code: 'custom', message: `a module name ${p}` });
});

export function intIn(lo: number, hi: number): z.ZodNumber {
  const rule = `must be an integer from ${lo} to ${hi}`;
  return z.number(rule).int(rule).min(lo, rule).max(hi, rule);
}

const SHAPE_TEXT = /^([su])([0-9]+)$/;

/** "s8", "u12": a shape as JSON writes it. */
export const shapeText = z.string('must be a shape such as "s8" or "u12"').superRefine((v, ctx) => {
  const m = SHAPE_TEXT.exec(v);
  const w = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(w) || w < 1 || w > MAX_WIDTH) {
    ctx.addIssue({ code: 'custom', message: `must be a shape: s or u then a width from 1 to ${MAX_WIDTH} (e.g. "s8", "u12")` });
  }
});

export function parseShapeText(v: string): Shape {
  const m = SHAPE_TEXT.exec(v)!;
  return shape(Number(m[2]), m[1] === 's');
}

/** An integer as JSON: a safe-integer number or a decimal string (for values beyond 2^53). */
export const intText = z.union([z.number().int(), z.string().regex(/^-?[0-9]+$/)], 'must be an integer (a number, or a decimal string beyond 2^53)');

export function parseIntText(v: number | string): bigint {
  return BigInt(v);
}
