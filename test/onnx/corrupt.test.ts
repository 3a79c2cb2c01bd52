// Damaged files: truncations and byte flips of a real export either import
// (protobuf tolerates some damage) or fail with OnnxError, never with another
// exception (a crash would print a stack instead of one line).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnnxError, importOnnx, toIntNetwork } from '../../src/onnx/index.ts';

const SEED = Number(process.env.PIKEHDL_SEED ?? 20261201);
const long = process.env.PIKEHDL_FUZZ === 'long';
const files = ['separable_16.onnx', 'qdq_small.onnx', 'heads_6.onnx'].map((f) => readFileSync(new URL(`../fixtures/onnx/${f}`, import.meta.url)));

function outcome(bytes: Uint8Array): 'ok' | 'refused' {
  try {
    const g = importOnnx(bytes, 'damaged.onnx');
    if (g.quant) toIntNetwork(g, 'damaged.onnx');
    return 'ok';
  } catch (err) {
    if (err instanceof OnnxError) {
      expect(err.message).not.toContain('\n');
      return 'refused';
    }
    throw err;
  }
}

describe('damaged ONNX files', () => {
  it('truncation and byte flips give OnnxError or a valid import', () => {
    const seen = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 0, maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        (fi, flips, cut) => {
          const src = files[fi]!;
          const b = Uint8Array.from(cut === undefined ? src : src.subarray(0, cut % src.length));
          for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
          seen[outcome(b)]++;
        },
      ),
      { seed: SEED, numRuns: long ? 20000 : 600 },
    );
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.ok).toBeGreaterThan(0);
  });
});
