// Every shipped family model (src/networks/trained/mnist_sep.shipped.json,
// written by src/train/results.ts): the file is the one recorded, and its
// pikelpn integer network (compile + bit-exact runInt) classifies exactly the
// recorded number of the first held-out digits correctly. Integer inference
// is deterministic, so the figure is owed exactly, not within a tolerance.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFloatNetwork, type FloatNetwork } from '../../src/model/index.ts';
import { RECIPES, compile } from '../../src/quant/index.ts';
import { heldOut, intAccuracy } from '../../src/train/evaluate.ts';
import { SHIPPED_MANIFEST, sha256, type ShippedManifest } from '../../src/train/shipModels.ts';

const manifest = JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')) as ShippedManifest;
const count = manifest.models[0]?.subset.count ?? 0;
const data = heldOut(count);

function correctOf(net: FloatNetwork): number {
  return Math.round((intAccuracy(compile(net, RECIPES.pikelpn).net, data) * data.count) / 100);
}

describe('shipped family models', () => {
  it('the manifest lists at least one model, all measured on the same subset', () => {
    expect(manifest.format).toBe('pikehdl-shipped-models');
    expect(manifest.models.length).toBeGreaterThan(0);
    expect(count).toBeGreaterThan(0);
    for (const m of manifest.models) expect(m.subset.count).toBe(count);
  });

  for (const m of manifest.models) {
    it(`${m.file}: pikelpn integer accuracy on the first ${m.subset.count} held-out digits is exactly ${m.subset.correct}/${m.subset.count}`, () => {
      const text = readFileSync(m.file, 'utf8');
      expect(sha256(text)).toBe(m.sha256);
      const net = parseFloatNetwork(text, m.file);
      expect(net.name).toBe(m.network);
      expect(correctOf(net)).toBe(m.subset.correct);
    });
  }

  it('the check catches a damaged model: swapping two classifier rows changes the count', () => {
    const m = manifest.models[0]!;
    const net = parseFloatNetwork(readFileSync(m.file, 'utf8'), m.file);
    const layers = net.layers.map((l) => {
      if (l.op !== 'dense' || !l.weights) return l;
      const w = [...l.weights];
      const inF = w.length / l.outFeatures;
      for (let i = 0; i < inF; i++) [w[i], w[inF + i]] = [w[inF + i]!, w[i]!]; // classes 0 and 1 trade places
      return { ...l, weights: w };
    });
    expect(correctOf({ ...net, layers })).not.toBe(m.subset.correct);
  });
});
