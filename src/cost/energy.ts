/**
 * A second, independent cost model: energy in picojoules per operation, from
 * Horowitz, "Computing's energy problem (and what we can do about it)",
 * ISSCC 2014, 45 nm, 0.9 V. It exists so that no conclusion hangs on the
 * ACEv2 table's conventions alone.
 *
 * Published anchors (pJ): int add 8b 0.03, 32b 0.1; int mult 8b 0.2, 32b 3.1;
 * fp16 add 0.4, mult 1.1; fp32 add 0.9, mult 3.7.
 *
 * Scaling to other widths (a project rule, stated in docs/acev2.md): integer
 * add energy is affine in the width, multiply energy affine in the product of
 * the operand widths, each line passing exactly through both published
 * anchors. Both lines happen to meet the axis at 1/150 pJ, a fixed overhead
 * that keeps a 1-bit operation from being free.
 */
import type { Op } from './ops.ts';

export const HOROWITZ_2014_PJ = Object.freeze({
  add8: 0.03,
  add32: 0.1,
  mul8: 0.2,
  mul32: 3.1,
  fp16Add: 0.4,
  fp16Mul: 1.1,
  fp32Add: 0.9,
  fp32Mul: 3.7,
});

const H = HOROWITZ_2014_PJ;
const addSlope = (H.add32 - H.add8) / (32 - 8);
const addIntercept = H.add8 - 8 * addSlope;
const mulSlope = (H.mul32 - H.mul8) / (32 * 32 - 8 * 8);
const mulIntercept = H.mul8 - 64 * mulSlope;

/** Energy of a w-bit integer add (pJ). */
export function intAddPj(width: number): number {
  return addIntercept + addSlope * width;
}

/** Energy of a p-bit by q-bit integer multiply (pJ). */
export function intMulPj(p: number, q: number): number {
  return mulIntercept + mulSlope * p * q;
}

/** bf16 has no figure of its own in the source; it uses fp16's (same
 *  storage width; its 8-bit significand multiplier is smaller than fp16's
 *  11-bit one, so this overstates a bf16 multiply). */
function floatPj(kind: 'add' | 'mul', format: 'fp16' | 'bf16' | 'fp32'): number {
  if (format === 'fp32') return kind === 'add' ? H.fp32Add : H.fp32Mul;
  return kind === 'add' ? H.fp16Add : H.fp16Mul;
}

/**
 * Energy of one operation (pJ). A MAC is its multiply plus the add into its
 * accumulator (unlike ACE, energy charges accumulation). A compare is a
 * subtract of its width. A variable shift is costed as one add of its width
 * per stage (an over-estimate: a stage is a row of 2:1 muxes); a constant
 * shift is wiring.
 */
export function opEnergyPj(op: Op): number {
  switch (op.kind) {
    case 'mac':
      return intMulPj(op.weight, op.activation) + intAddPj(op.acc);
    case 'floatMac':
      return floatPj('mul', op.format) + floatPj('add', op.format);
    case 'intMul':
      return intMulPj(op.a, op.b);
    case 'intAdd':
      return intAddPj(Math.max(op.a, op.b));
    case 'compare':
      return intAddPj(op.width);
    case 'shiftConst':
      return 0;
    case 'shiftVar':
      return op.amountBits * intAddPj(op.width);
    case 'floatMul':
      return floatPj('mul', op.format);
    case 'floatAdd':
      return floatPj('add', op.format);
  }
}
