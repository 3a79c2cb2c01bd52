// fast-check generators shared by the cost tests.
import fc from 'fast-check';
import type { Op } from '../../src/cost/ops.ts';
import { FLOAT_FORMATS } from '../../src/cost/ops.ts';
import { CATEGORIES, type Category } from '../../src/cost/categories.ts';
import type { OpCount } from '../../src/cost/tally.ts';

export const width = fc.integer({ min: 1, max: 64 });
const format = fc.constantFrom(...FLOAT_FORMATS);

export const intOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('mac' as const), weight: width, activation: width, acc: width }),
  fc.record({ kind: fc.constantFrom('intMul' as const, 'intAdd' as const), a: width, b: width }),
  fc.record({ kind: fc.constantFrom('compare' as const, 'shiftConst' as const), width }),
  fc.record({ kind: fc.constant('shiftVar' as const), width, amountBits: fc.integer({ min: 1, max: 8 }) }),
);
export const floatOp: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom('floatMac' as const, 'floatMul' as const, 'floatAdd' as const), format });
export const anyOp: fc.Arbitrary<Op> = fc.oneof(intOp, floatOp);

const macLike = (op: Op): boolean => op.kind === 'mac' || op.kind === 'floatMac';
const elementwiseCategories = CATEGORIES.filter((c) => c !== 'mac');

/** An OpCount whose category is consistent with its operation. */
export const opCount: fc.Arbitrary<OpCount> = anyOp.chain((op) =>
  fc.record({
    op: fc.constant(op),
    category: macLike(op) ? fc.constant<Category>('mac') : fc.constantFrom(...elementwiseCategories),
    count: fc.integer({ min: 0, max: 1_000_000 }),
  }),
);
