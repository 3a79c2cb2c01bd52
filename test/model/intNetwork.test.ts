// The integer network schema refuses inconsistent files with the JSON path and the rule.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ModelError, parseFloatNetwork, validateIntNetwork, type IntNetwork } from '../../src/model/index.ts';
import { compile, RECIPES } from '../../src/quant/index.ts';

const fixture = parseFloatNetwork(readFileSync(new URL('../fixtures/models/tiny-separable.float.json', import.meta.url), 'utf8'));
const compiled = (recipe = RECIPES.pikelpn): IntNetwork => structuredClone(compile(fixture, recipe).net);

function errorsOf(value: unknown): string[] {
  try {
    validateIntNetwork(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return [...(err as ModelError).issues];
  }
  throw new Error('expected the network to be refused');
}

type Any = Record<string, unknown> & { layers: Record<string, unknown>[] };

describe('integer network schema', () => {
  it('accepts what compile produces, for every recipe', () => {
    for (const r of [RECIPES.pikelpn, RECIPES.conventional4, RECIPES.tflite8]) expect(() => validateIntNetwork(compiled(r))).not.toThrow();
  });

  const cases: [string, (n: Any) => void, string][] = [
    ['a weight outside the symmetric range', (n) => { (n.layers[2]!.weights as number[])[3] = 8; }, 'layers[2].weights[3]: weight 8 is outside the symmetric 4-bit range [-7, 7]'],
    ['a wrong accumulator width', (n) => { (n.layers[2]!.accumulator as { width: number }).width = 20; }, 'layers[2].accumulator: declared s20 but 4 products of 4-bit symmetric weights and s4 inputs need'],
    ['a per-channel array of the wrong length', (n) => { ((n.layers[2]!.requant as { norm: { multipliers: number[] } }).norm.multipliers).push(1); }, 'layers[2].requant.norm.multipliers: expected 1 or 8 values (one per channel), got 9'],
    ['a multiplier wider than declared', (n) => { ((n.layers[2]!.requant as { norm: { multipliers: number[] } }).norm.multipliers)[0] = 256; }, 'layers[2].requant.norm.multipliers[0]: multiplier 256 does not fit u8'],
    ['output bounds outside the shape', (n) => { (n.layers[0]!.output as { max: number }).max = 300; }, 'layers[0].output: bounds [0, 300] are outside u4 [0, 15]'],
    ['an unknown rounding mode', (n) => { (n.layers[2]!.requant as { rounding: string }).rounding = 'nearest'; }, 'layers[2].requant.rounding: expected a rounding mode: rdn, rnu, rne, rna, rod'],
    ['a forward reference', (n) => { n.layers[1]!.input = 'fc'; }, 'layers[1].input: "fc" is not an earlier layer'],
    ['a non-integer weight', (n) => { (n.layers[2]!.weights as number[])[0] = 0.5; }, 'layers[2].weights[0]: expected an integer'],
  ];
  for (const [what, mutate, expected] of cases) {
    it(`refuses ${what}`, () => {
      const n = compiled() as unknown as Any;
      mutate(n);
      const errs = errorsOf(n);
      expect(errs.some((e) => e.startsWith(expected)), `got:\n${errs.join('\n')}`).toBe(true);
    });
  }

  it('refuses an fp32 constant that is not exactly representable in single precision', () => {
    const n = compiled(RECIPES.conventional4) as unknown as Any;
    ((n.layers[2]!.requant as { norm: { multipliers: number[] } }).norm.multipliers)[0] = 0.1;
    expect(errorsOf(n).some((e) => e.startsWith('layers[2].requant.norm.multipliers[0]: expected an fp32 value, got 0.1'))).toBe(true);
  });
});
