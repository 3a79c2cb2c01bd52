// The same input gives the same bytes: every registry default and lint point
// is generated twice from scratch and emitted; the texts (and the manifest
// hashes writeDesign would record) must be identical.
import { describe, expect, it } from 'vitest';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { REGISTRY } from '../../hdl-gen/generators/index.ts';
import { designFiles } from '../../hdl-gen/write/index.ts';

describe('determinism', () => {
  for (const g of REGISTRY) {
    it(`${g.name}: generating and emitting twice gives byte-identical files`, () => {
      let compared = 0;
      for (const point of [g.defaultConfig, ...g.lintPoints]) {
        const first = designFiles(emitDesign(g.build(point)));
        const second = designFiles(emitDesign(g.build(structuredClone(point))));
        expect(second).toEqual(first);
        compared += first.length;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('emitting the same module object twice gives the same text', () => {
    const g = REGISTRY[0]!;
    const m = g.build(g.defaultConfig);
    expect(emitDesign(m)).toEqual(emitDesign(m));
  });
});
