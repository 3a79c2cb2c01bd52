/**
 * Error bounds the spec derives (docs/semantics.md, "Error bounds"), in LSBs
 * of a layer's output, against the ideal real computation on the same
 * integer input: y_c = a_c*acc + b_c, PReLU with the real slope, clamped to
 * the output bounds. Components:
 *   linear   |a_eff - a_c|*A + |b_eff - b_c| for the constants actually used
 *            (A = largest |accumulator|);
 *   rounding 1/2 for the nearest modes, 1 for rdn/rod and for TFLite (it rounds twice);
 *   fp32     2^-24 of every intermediate's magnitude, per fp32 operation;
 *   PReLU    |P' - alpha| * |y| plus the pre-PReLU error times max(|P'|, 1) and its own rounding;
 *   ReLU6    1/2 (the integer bound is round(6/s_y), the real one 6/s_y).
 * Propagation: an input error of e LSBs moves a conv/dense output by at most
 * a_c * sum_k |w_ck| * e (gain), pooling by e, an add by (A1*e1 + A2*e2)*2^-S.
 */
import type { Requant, PreluStage } from '../model/index.ts';
import type { RoundingMode } from '../arith/index.ts';

const U = 2 ** -24; // fp32 unit roundoff (round-half-even)
const SLACK = 1 + 2 ** -40; // the bound is evaluated in doubles: absorb their rounding

export const roundingError = (mode: RoundingMode): number => (mode === 'rdn' || mode === 'rod' ? 1 : 0.5);
const pick = (a: readonly number[], c: number): number => (a.length === 1 ? a[0]! : a[c]!);

/** Error after an (integer or float) PReLU, given the error e of its input and |y| <= yMax. */
export function preluError(e: number, yMax: number, alpha: number, p: PreluStage | undefined, c: number, mode: RoundingMode): number {
  if (p === undefined) return e;
  const pe = p.arithmetic === 'integer' ? pick(p.slopes, c) * 2 ** -p.shift : pick(p.slopes, c);
  const r = p.arithmetic === 'integer' ? roundingError(mode) : U * Math.abs(pe) * (yMax + e);
  const bothNegative = Math.abs(pe) * e + Math.abs(pe - alpha) * yMax + r;
  const signsDiffer = (Math.max(Math.abs(pe), 1) + Math.max(Math.abs(alpha), 1)) * e + r;
  return Math.max(bothNegative, signsDiffer);
}

/**
 * Bound for one channel of a weighted layer: |q - clamp(act(a*acc + b))| for
 * every accumulator |acc| <= accMax, plus `inputError` LSBs of input error
 * already scaled by the layer's gain.
 */
export function requantErrorBound(r: Requant, c: number, a: number, b: number, alpha: number, accMax: number, relu6: boolean, propagated = 0): number {
  const yMax = Math.abs(a) * accMax + Math.abs(b) + propagated;
  let e: number;
  let mode: RoundingMode;
  if (r.kind === 'tflite') {
    const m = pick(r.multipliers, c) * 2 ** (pick(r.shifts, c) - 31);
    e = Math.abs(m - a) * accMax + Math.abs(pick(r.bias, c) * m - b) + 1;
    mode = 'rna';
  } else {
    mode = r.rounding;
    let mInt = 1;
    let bInt = 0;
    if (r.norm?.arithmetic === 'integer') {
      mInt = pick(r.norm.multipliers, c);
      bInt = pick(r.norm.offsets, c);
    }
    if (r.scale?.arithmetic === 'integer') {
      const q = pick(r.scale.multipliers, c);
      mInt *= q;
      bInt = bInt * q + (r.scale.offsets ? pick(r.scale.offsets, c) : 0);
    }
    const p2 = 2 ** -r.shift;
    const float = r.norm?.arithmetic === 'float' || r.scale?.arithmetic === 'float' || r.prelu?.arithmetic === 'float';
    if (!float) {
      e = Math.abs(mInt * p2 - a) * accMax + Math.abs(bInt * p2 - b) + roundingError(mode);
    } else {
      // Track the exact linear map (coef, offset) and the fp32 rounding error (err) with a magnitude bound (mag).
      let coef = mInt * p2;
      let offset = bInt * p2;
      let mag = (Math.abs(mInt) * accMax + Math.abs(bInt)) * p2;
      let err = U * mag;
      if (r.norm?.arithmetic === 'float') {
        const G = pick(r.norm.multipliers, c);
        const H = pick(r.norm.offsets, c);
        coef *= G;
        offset = offset * G + H;
        err = Math.abs(G) * err + U * Math.abs(G) * mag;
        mag = Math.abs(G) * mag + Math.abs(H);
        err += U * mag;
      }
      if (r.scale?.arithmetic === 'float') {
        const R = pick(r.scale.multipliers, c);
        const O = r.scale.offsets ? pick(r.scale.offsets, c) : 0;
        coef *= R;
        offset = offset * R + O;
        err = Math.abs(R) * err + U * Math.abs(R) * mag;
        mag = Math.abs(R) * mag + Math.abs(O);
        if (r.scale.offsets) err += U * mag;
      }
      e = Math.abs(coef - a) * accMax + Math.abs(offset - b) + err;
      if (r.prelu?.arithmetic === 'float') {
        e = preluError(e + propagated, yMax, alpha, r.prelu, c, mode) + 0.5;
        return (e + (relu6 ? 0.5 : 0)) * SLACK;
      }
      e += 0.5; // round-half-even to an integer
      return (preluError(e + propagated, yMax, alpha, undefined, c, mode) + (relu6 ? 0.5 : 0)) * SLACK;
    }
  }
  return (preluError(e + propagated, yMax, alpha, r.prelu, c, mode) + (relu6 ? 0.5 : 0)) * SLACK;
}
