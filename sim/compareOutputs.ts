import { bytesPerTransaction, readValue } from './packing.ts';
import { SimError } from './simError.ts';
import type { Comparison } from './types.ts';

/**
 * Compares `count` packed transactions of `widthBits` each, ignoring padding
 * bits above the width. Byte-wise fast path; values become bigints only for
 * mismatches (at most `maxReported` are listed, `mismatchCount` counts all).
 */
export function compareOutputs(
  expected: Uint8Array,
  actual: Uint8Array,
  count: number,
  widthBits: number,
  maxReported = 100,
): Comparison & { mismatchCount: number } {
  const n = bytesPerTransaction(widthBits);
  if (!Number.isInteger(count) || count < 0) {
    throw new SimError(`compareOutputs count ${count} must be a non-negative integer`);
  }
  if (expected.length < count * n || actual.length < count * n) {
    throw new SimError(
      `compareOutputs needs ${count} x ${n} bytes; expected has ${expected.length}, actual has ${actual.length}`,
    );
  }
  const topMask = widthBits % 8 === 0 ? 0xff : (1 << widthBits % 8) - 1;
  const mismatches: Comparison['mismatches'] = [];
  let mismatchCount = 0;
  for (let t = 0, base = 0; t < count; t++, base += n) {
    let same = true;
    for (let i = 0; i < n - 1; i++) {
      if (expected[base + i] !== actual[base + i]) {
        same = false;
        break;
      }
    }
    if (same && ((expected[base + n - 1]! ^ actual[base + n - 1]!) & topMask) !== 0) same = false;
    if (!same) {
      mismatchCount++;
      if (mismatches.length < maxReported) {
        mismatches.push({
          index: t,
          expected: readValue(expected, t, widthBits),
          actual: readValue(actual, t, widthBits),
        });
      }
    }
  }
  return { compared: count, mismatches, mismatchCount };
}
