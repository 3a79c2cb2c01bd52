import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchDesign } from './benchDesign.ts';
import { seededBytes } from './seededBytes.ts';

const IN_BYTES = 16;
const OUT_BYTES = 3;

// PAIR[a * 256 + w] = dot product of the two 4-bit lanes packed in activation
// byte a (unsigned nibbles) and weight byte w (signed nibbles). Eight lookups
// per transaction instead of sixteen multiplies.
export const PAIR = new Int16Array(65536);
for (let a = 0; a < 256; a++) {
  for (let w = 0; w < 256; w++) {
    const s = (n: number): number => (n & 8 ? n - 16 : n);
    PAIR[a * 256 + w] = (a & 15) * s(w & 15) + (a >> 4) * s(w >> 4);
  }
}

/**
 * The 16-lane dot product of the transaction at byte offset b: activation
 * nibbles in bytes b..b+7, signed weight nibbles in bytes b+8..b+15. The
 * layout of both bench designs. Unrolled lookups, no allocation: this runs
 * tens of millions of times per bench.
 */
export function dot16(inputs: Uint8Array, b: number): number {
  const P = PAIR;
  return (
    P[(inputs[b]! << 8) | inputs[b + 8]!]! +
    P[(inputs[b + 1]! << 8) | inputs[b + 9]!]! +
    P[(inputs[b + 2]! << 8) | inputs[b + 10]!]! +
    P[(inputs[b + 3]! << 8) | inputs[b + 11]!]! +
    P[(inputs[b + 4]! << 8) | inputs[b + 12]!]! +
    P[(inputs[b + 5]! << 8) | inputs[b + 13]!]! +
    P[(inputs[b + 6]! << 8) | inputs[b + 14]!]! +
    P[(inputs[b + 7]! << 8) | inputs[b + 15]!]!
  );
}

/** Reference model of bench/fixtures/dot16x4.v for one transaction: the 21-bit output. */
export function dot16x4Ref(inputs: Uint8Array, t: number): number {
  const b = t * IN_BYTES;
  let sum = 0;
  for (let k = 0; k < 8; k++) sum += PAIR[(inputs[b + k]! << 8) | inputs[b + 8 + k]!]!;
  const q = sum <= 0 ? 0 : Math.min(255, sum >> 2);
  return (sum & 0x1fff) | (q << 13);
}

export const dot16x4: BenchDesign = {
  design: {
    top: 'dot16x4',
    sources: [
      {
        name: 'dot16x4.v',
        text: readFileSync(fileURLToPath(new URL('fixtures/dot16x4.v', import.meta.url)), 'utf8'),
      },
    ],
    inWidth: 128,
    outWidth: 21,
  },
  outputsPerInput: 1,
  // Frame `stream` of `count` transactions is its own slice of the seed's keystream.
  generate: (count, seed, stream) => seededBytes(count * IN_BYTES, seed, stream * count * IN_BYTES),
  check(inputs, outputs, count) {
    // Hot loop (tens of millions of calls per bench run): unrolled lookups, no allocation.
    let bad = 0;
    for (let t = 0, b = 0, o = 0; t < count; t++, b += IN_BYTES, o += OUT_BYTES) {
      const sum = dot16(inputs, b);
      const q = sum <= 0 ? 0 : sum >= 1020 ? 255 : sum >> 2;
      const want = (sum & 0x1fff) | (q << 13);
      const got = outputs[o]! | (outputs[o + 1]! << 8) | ((outputs[o + 2]! & 0x1f) << 16);
      if (got !== want) bad++;
    }
    return bad;
  },
};
