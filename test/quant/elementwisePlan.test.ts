// The plan the cost model tallies must describe what compile actually builds:
// for every recipe variant and every weighted layer of the fixture, the
// plan's stages and their arithmetic equal the compiled requantizer's.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseFloatNetwork, type IntWeightedLayer } from '../../src/model/index.ts';
import { RECIPES, compile, elementwisePlan, withTechniques, type Recipe } from '../../src/quant/index.ts';

const fixture = parseFloatNetwork(readFileSync(new URL('../fixtures/models/tiny-separable.float.json', import.meta.url), 'utf8'));

function compiledStages(l: IntWeightedLayer): string[] {
  const r = l.requant;
  if (r.kind === 'tflite') return ['tflite:integer', ...(r.prelu ? ['prelu:integer'] : [])];
  const stages: [string, string][] = [];
  if (r.norm) stages.push(['norm', r.norm.arithmetic]);
  if (r.scale) stages.push(['scale', r.scale.arithmetic]);
  if (r.prelu) stages.push(['prelu', r.prelu.arithmetic]);
  // Execution order: integer stages first (requantStages.ts).
  return [...stages.filter((s) => s[1] === 'integer'), ...stages.filter((s) => s[1] === 'float')].map((s) => s.join(':'));
}

describe('elementwisePlan matches compile', () => {
  const variants: Recipe[] = [RECIPES.pikelpn, RECIPES.conventional4, RECIPES.tflite8];
  for (const qn of [true, false]) for (const dq of [true, false]) for (const qp of [true, false]) variants.push(withTechniques(RECIPES.pikelpn, { quantNorm: qn, doubleQuant: dq, quantizedPrelu: qp }));
  it(`for ${variants.length} recipe variants`, () => {
    let compared = 0;
    for (const recipe of variants) {
      const net = compile(fixture, recipe).net;
      net.layers.forEach((l, i) => {
        if (l.op === 'avgPool' || l.op === 'maxPool' || l.op === 'add') return;
        const src = fixture.layers[i]!;
        const traits = { batchNorm: 'batchNorm' in src && src.batchNorm !== undefined, prelu: 'activation' in src && src.activation?.kind === 'prelu' };
        const plan = elementwisePlan(recipe, traits).stages.map((s) => `${s.stage}:${s.arithmetic}`);
        expect(plan, `${recipe.name} ${JSON.stringify(recipe.techniques)} layer ${l.name}`).toEqual(compiledStages(l));
        compared++;
      });
    }
    expect(compared).toBe(variants.length * 6);
  });
});
