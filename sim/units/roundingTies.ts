import { fits } from '../../src/arith/index.ts';
import type { FieldSpec, LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';

/**
 * Exact ties of a rounding right shift by `shift`: (2q + 1) * 2^(shift - 1)
 * for q = -4..3, both signs with even and odd quotients. The rounding modes
 * differ only on these values (rnu/rne on an even quotient, rnu/rna on a
 * negative one), and random data almost never lands on one: mutation testing
 * showed a rounding mode could be changed without any test noticing.
 */
export function roundingTies(shift: number): bigint[] {
  if (shift < 1) return [];
  const half = 1n << BigInt(shift - 1);
  return [-4n, -3n, -2n, -1n, 0n, 1n, 2n, 3n].map((q) => (2n * q + 1n) * half);
}

/**
 * Overwrites the transactions from `start` (after the corners) so that over
 * ties.length transactions every lane meets every tie once; `lane` realises a
 * tie as one lane's field values (undefined, or values not fitting the
 * fields: that lane keeps its random values).
 */
export function withRoundingTies(
  tx: LaneValues[][],
  start: number,
  fields: readonly FieldSpec[],
  ties: readonly bigint[],
  lane: (tie: bigint) => LaneValues | undefined,
): LaneValues[][] {
  for (let j = 0; j < ties.length && start + j < tx.length; j++) {
    const t = tx[start + j]!;
    tx[start + j] = t.map((orig, l) => {
      const v = lane(ties[(j + l) % ties.length]!);
      if (v === undefined) return orig;
      const ok = fields.every((f) => v[f.name] !== undefined && fits(v[f.name]!, f.shape));
      return ok ? v : orig;
    });
  }
  return tx;
}

/** Where laneStimulus's random part begins: after its whole-word corners. */
export function laneCornerCount(fields: readonly FieldSpec[]): number {
  return 5 + 2 * fields.length;
}
