/**
 * The reference model computes on JS numbers, which are exact integers only
 * below 2^53 in magnitude. Every layer proves, from the declared widths
 * (src/arith ranges), that its intermediates stay inside that; where a proof
 * fails the layer runs on BigInt instead. The per-element functions check
 * their one product on each call (a cheap compare) and refuse otherwise.
 */
import { type Range, ShapeError } from '../arith/index.ts';

export const SAFE_LIMIT = BigInt(Number.MAX_SAFE_INTEGER); // 2^53 - 1

/** True when every value of r is an exact JS number. */
export function isSafeRange(r: Range): boolean {
  return r.lo >= -SAFE_LIMIT && r.hi <= SAFE_LIMIT;
}

export class InexactError extends ShapeError {
  constructor(message: string) {
    super(message);
    this.name = 'InexactError';
  }
}

/** Throw unless |v| < 2^53 (v is the result of an integer operation on numbers). */
export function checkSafe(v: number, what: string): number {
  if (!(v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER)) {
    throw new InexactError(`${what}: intermediate ${v} is not exact in a JS number (|x| must be below 2^53): use the BigInt version`);
  }
  return v;
}
