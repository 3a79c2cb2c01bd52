// Coverage counts toggles from zeroed registers (src/verify/coverage.ts): a
// register the design only ever clears (test/fixtures/verify/scratch_clear.v)
// toggles nothing from zeros, and its bits are reported unreached. Started
// from random registers (the co-simulation's default) the same run would
// count its initial ones falling to 0 as toggles: this test fails then.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packValues } from '../../sim/index.ts';
import { designCoverage } from '../../src/verify/coverage.ts';

describe('coverage initial state', () => {
  it('reports the bits of a register the design never sets as unreached', async () => {
    const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'verify', 'scratch_clear.v'), 'utf8');
    const design = { top: 'scratch_clear', sources: [{ name: 'scratch_clear.v', text }], inWidth: 8, outWidth: 8 };
    const values = Array.from({ length: 64 }, (_, i) => BigInt((i * 37 + 11) % 256));
    const packed = packValues(values, 8);
    const cov = await designCoverage('scratch_clear', design, {
      frames: [{ inputs: packed, count: values.length, expectOutputs: values.length }],
      names: ['pass-through'],
      expected: [packed],
      counted: [true],
    });
    const scratch = cov.uncovered.filter((p) => p.kind === 'toggle' && /^scratch(\[\d+\])?$/.test(p.what));
    expect(scratch.map((p) => p.what).sort()).toEqual(Array.from({ length: 8 }, (_, b) => `scratch[${b}]`).sort());
    // The pass-through register itself toggles (the run did something).
    expect(cov.uncovered.some((p) => /^data_q/.test(p.what))).toBe(false);
  }, 120_000);
});
