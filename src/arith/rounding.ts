/**
 * Rounding right shifts: divide by 2^k and round to an integer.
 *
 * Mode names follow the RISC-V vector spec's fixed-point rounding modes
 * (vxrm), plus `rna` which TFLite's RoundingDivideByPOT uses:
 *
 * | mode | name                         | result for x / 2^k                         |
 * |------|------------------------------|--------------------------------------------|
 * | rdn  | round down (floor)           | floor(x / 2^k): a plain arithmetic shift    |
 * | rnu  | round to nearest, ties up    | floor(x / 2^k + 1/2) = (x + 2^(k-1)) >> k  |
 * | rne  | round to nearest, ties even  | nearest; a tie goes to the even integer     |
 * | rna  | round to nearest, ties away  | nearest; a tie goes away from zero          |
 * | rod  | round to odd ("jamming")     | floor, then LSB set if any bit was dropped  |
 *
 * "Ties up" means toward +infinity for negative numbers too: -2.5 -> -2.
 * k = 0 returns x unchanged in every mode.
 *
 * Two implementations: BigInt (any width, used for widths above 53 bits and by
 * the DSL's evaluator) and number (exact while |x| < 2^53, used in the
 * reference model's inner loops). A property test holds them equal.
 */
import { ShapeError } from './shape.ts';

export const ROUNDING_MODES = ['rdn', 'rnu', 'rne', 'rna', 'rod'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export function isRoundingMode(m: string): m is RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(m);
}

function checkShift(k: number, who: string): void {
  if (!Number.isInteger(k) || k < 0 || k > 1024) {
    throw new ShapeError(`${who}: shift ${String(k)} is invalid: a shift must be an integer from 0 to 1024`);
  }
}

/** x / 2^k rounded by `mode`, exactly, for any integer x. */
export function roundShift(x: bigint, k: number, mode: RoundingMode): bigint {
  checkShift(k, 'roundShift');
  if (k === 0) return x;
  const bk = BigInt(k);
  const q = x >> bk; // BigInt >> is floor division by 2^k
  const r = x - (q << bk); // 0 <= r < 2^k
  const half = 1n << (bk - 1n);
  switch (mode) {
    case 'rdn':
      return q;
    case 'rnu':
      return r >= half ? q + 1n : q;
    case 'rne':
      return r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
    case 'rna':
      // A tie rounds away from zero: up for x >= 0, down (stay at floor) for x < 0.
      return r > half || (r === half && x >= 0n) ? q + 1n : q;
    case 'rod':
      return r !== 0n ? q | 1n : q;
  }
}

/** The same as roundShift on JS numbers; exact while |x| < 2^53. */
export function roundShiftNumber(x: number, k: number, mode: RoundingMode): number {
  checkShift(k, 'roundShiftNumber');
  if (k === 0) return x;
  // Past 53 bits |x| < 2^53 <= 2^(k-1): the floor is -1 or 0 and the remainder
  // is past half exactly when x < 0. Closed form: 2^1024 is Infinity as a
  // double, and x / Infinity would make the floor -0 instead of -1.
  if (k > 53) return bigShiftNumber(x, mode);
  const p = 2 ** k; // exact: powers of two up to 2^53 are exact doubles
  const q = Math.floor(x / p); // exact: division by a power of two only moves the exponent
  const r = x - q * p;
  const half = p / 2;
  switch (mode) {
    case 'rdn':
      return q;
    case 'rnu':
      return r >= half ? q + 1 : q;
    case 'rne':
      return r > half || (r === half && (q & 1) !== 0) ? q + 1 : q;
    case 'rna':
      return r > half || (r === half && x >= 0) ? q + 1 : q;
    case 'rod':
      return r !== 0 && (q & 1) === 0 ? q + 1 : q;
  }
}

/** roundShiftNumber for k > 53 (|x| < 2^53): the BigInt version's results, never -0. */
function bigShiftNumber(x: number, mode: RoundingMode): number {
  if (x === 0) return 0;
  switch (mode) {
    case 'rdn':
      return x < 0 ? -1 : 0;
    case 'rnu':
    case 'rne':
    case 'rna':
      return 0; // x > 0: below half; x < 0: floor -1 plus 1
    case 'rod':
      return x < 0 ? -1 : 1;
  }
}
