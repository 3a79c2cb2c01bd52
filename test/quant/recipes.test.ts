// Recipes are data the cost model reads: check they are complete and consistent.
import { describe, expect, it } from 'vitest';
import { RECIPES, RECIPE_NAMES, getRecipe, withTechniques } from '../../src/quant/index.ts';

describe('recipes', () => {
  it('every name has a recipe whose name matches', () => {
    for (const n of RECIPE_NAMES) expect(RECIPES[n].name).toBe(n);
  });
  it('pikelpn switches every technique on; conventional4 switches them off', () => {
    expect(RECIPES.pikelpn.techniques).toEqual({ quantNorm: true, doubleQuant: true, dhq: true, quantizedPrelu: true });
    expect(RECIPES.conventional4.techniques).toEqual({ quantNorm: false, doubleQuant: false, dhq: false, quantizedPrelu: false });
    expect(RECIPES.float32.mac).toBe('float');
  });
  it('ablation switches change only the named technique', () => {
    const r = withTechniques(RECIPES.pikelpn, { doubleQuant: false });
    expect(r.techniques).toEqual({ quantNorm: true, doubleQuant: false, dhq: true, quantizedPrelu: true });
    expect(RECIPES.pikelpn.techniques.doubleQuant).toBe(true);
  });
  it('an unknown name is refused with the choices', () => {
    expect(() => getRecipe('int3')).toThrow('recipe "int3" is unknown: choose one of float32, conventional4, pikelpn, tflite8');
  });
});
