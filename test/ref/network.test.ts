// Compiled networks: every layer stays inside its declared width; the number
// path equals the BigInt path; a single layer is within the error bound the
// spec derives of the ideal real computation (a strong, tight property); a
// whole network is within its propagated bound; files round-trip.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { maxOf, minOf } from '../../src/arith/index.ts';
import { parseFloatNetwork, parseIntNetwork, stringifyModel, tensorShape, validateFloatNetwork, type FloatNetwork } from '../../src/model/index.ts';
import { compile, RECIPES, withTechniques, seededRandom, type Recipe } from '../../src/quant/index.ts';
import { runInt, runFloat, quantizeInput } from '../../src/ref/index.ts';

const fixture = parseFloatNetwork(readFileSync(new URL('../fixtures/models/tiny-separable.float.json', import.meta.url), 'utf8'));

const RECIPE_VARIANTS: [string, Recipe][] = [
  ['pikelpn', RECIPES.pikelpn],
  ['conventional4', RECIPES.conventional4],
  ['tflite8', RECIPES.tflite8],
  ['pikelpn --no-quantnorm', withTechniques(RECIPES.pikelpn, { quantNorm: false })],
  ['pikelpn --no-double-quant', withTechniques(RECIPES.pikelpn, { doubleQuant: false })],
  ['pikelpn --no-dhq', withTechniques(RECIPES.pikelpn, { dhq: false })],
  ['pikelpn all off', withTechniques(RECIPES.pikelpn, { quantNorm: false, doubleQuant: false, dhq: false, quantizedPrelu: false })],
];

let compared = 0;

function randomInputs(net: FloatNetwork, n: number, seed: number): Float64Array[] {
  const rnd = seededRandom(seed);
  const size = net.input.height * net.input.width * net.input.channels;
  const { min, max } = net.input.range ?? { min: 0, max: 1 };
  // Include values outside the input range: the quantizer must saturate them.
  return Array.from({ length: n }, () => Float64Array.from({ length: size }, () => rnd.uniform(min - 0.2, max + 0.2)));
}

describe('compiled fixture network (tiny-separable)', () => {
  for (const [name, recipe] of RECIPE_VARIANTS) {
    it(`${name}: widths hold, number == BigInt, within the propagated bound of the fake-quantized float network`, () => {
      const r = compile(fixture, recipe);
      const shapes = new Map(r.net.layers.map((l) => [l.name, l.output]));
      for (const x of randomInputs(fixture, 12, 11)) {
        const q = quantizeInput(r.net.input.tensor, x);
        const run = runInt(r.net, q);
        expect(run.bigIntLayers).toEqual([]);
        const big = runInt(r.net, q, { forceBigInt: true });
        for (const [layer, y] of run.outputs) {
          const o = shapes.get(layer)!;
          const s = tensorShape(o);
          for (const v of y) {
            expect(v >= o.min && v <= o.max && v >= Number(minOf(s)) && v <= Number(maxOf(s))).toBe(true);
          }
          expect(Array.from(big.outputs.get(layer)!)).toEqual(Array.from(y));
          compared += y.length;
        }
        const f = runFloat(r.fakeQuantized, x, { clip: r.clip });
        r.layers.forEach((rep) => {
          const yi = run.outputs.get(rep.name)!;
          const yf = f.outputs.get(rep.name)!;
          for (let k = 0; k < yi.length; k++) expect(Math.abs(yi[k]! - yf[k]! / rep.outputScale)).toBeLessThanOrEqual(rep.networkBound);
        });
      }
    });
  }

  it('a compiled file round-trips through JSON and the schema and runs identically', () => {
    const r = compile(fixture, RECIPES.pikelpn);
    const again = parseIntNetwork(stringifyModel(r.net));
    const x = quantizeInput(r.net.input.tensor, randomInputs(fixture, 1, 5)[0]!);
    expect(Array.from(runInt(again, x).output)).toEqual(Array.from(runInt(r.net, x).output));
    expect(stringifyModel(compile(fixture, RECIPES.pikelpn).net)).toBe(stringifyModel(r.net)); // deterministic
  });
});

// One weighted layer, random geometry, batch norm, activation and widths: the
// integer output is within layerBound LSBs of the ideal real computation on
// the same (exactly representable) input.
const singleLayerArb = fc
  .record({
    op: fc.constantFrom('conv2d' as const, 'depthwiseConv2d' as const, 'dense' as const),
    kernel: fc.constantFrom(1, 3, 5),
    stride: fc.constantFrom(1, 2),
    h: fc.integer({ min: 0, max: 3 }),
    inC: fc.integer({ min: 1, max: 4 }),
    outC: fc.integer({ min: 1, max: 4 }),
    act: fc.constantFrom('none', 'relu', 'relu6', 'prelu'),
    bn: fc.boolean(),
    signedInput: fc.boolean(),
    wBits: fc.integer({ min: 1, max: 8 }),
    aBits: fc.integer({ min: 2, max: 8 }),
    oBits: fc.integer({ min: 2, max: 8 }),
    recipe: fc.integer({ min: 0, max: RECIPE_VARIANTS.length - 1 }),
    seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .map((p): { net: FloatNetwork; recipe: Recipe } => {
    const rnd = seededRandom(p.seed);
    const size = p.kernel + p.h;
    const padding = p.op === 'dense' ? 0 : Math.floor(p.kernel / 2);
    const outC = p.op === 'depthwiseConv2d' ? p.inC : p.outC;
    const nW = p.op === 'conv2d' ? outC * p.kernel * p.kernel * p.inC : p.op === 'depthwiseConv2d' ? p.kernel * p.kernel * p.inC : size * size * p.inC * outC;
    const g = (n: number, s: number): number[] => Array.from({ length: n }, () => s * rnd.gaussian());
    const common = {
      name: 'l',
      weights: g(nW, 0.5),
      bias: g(outC, 0.2),
      weightBits: p.wBits,
      activationBits: p.aBits,
      outputBits: p.oBits,
      ...(p.bn
        ? { batchNorm: { gamma: g(outC, 1), beta: g(outC, 0.3), mean: g(outC, 0.3), variance: Array.from({ length: outC }, () => rnd.uniform(0.01, 2)) } }
        : {}),
      activation: p.act === 'prelu' ? { kind: 'prelu' as const, slopes: Array.from({ length: outC }, () => rnd.uniform(-0.5, 0.9)) } : { kind: p.act as 'none' | 'relu' | 'relu6' },
    };
    const layer =
      p.op === 'dense'
        ? { op: 'dense' as const, outFeatures: outC, ...common }
        : p.op === 'conv2d'
          ? { op: 'conv2d' as const, kernel: p.kernel, stride: p.stride, padding, outChannels: outC, ...common }
          : { op: 'depthwiseConv2d' as const, kernel: p.kernel, stride: p.stride, padding, ...common };
    const net = validateFloatNetwork({
      format: 'pikehdl-float-network', version: 1, name: 'one',
      input: { height: size, width: size, channels: p.inC, range: p.signedInput ? { min: -1, max: 1 } : { min: 0, max: 1 } },
      layers: [layer],
    });
    return { net, recipe: RECIPE_VARIANTS[p.recipe]![1] };
  });

describe('one layer vs the ideal real computation', () => {
  it('|integer - ideal| <= the layer bound, on random layers and inputs with extremes', () => {
    let layers = 0;
    fc.assert(
      fc.property(singleLayerArb, fc.integer({ min: 1, max: 1 << 30 }), ({ net, recipe }, seed) => {
        const r = compile(net, recipe);
        const t = r.net.input.tensor;
        const lo = Number(minOf(tensorShape(t)));
        const hi = Number(maxOf(tensorShape(t)));
        const rnd = seededRandom(seed);
        const size = net.input.height * net.input.width * net.input.channels;
        for (let trial = 0; trial < 4; trial++) {
          const q = Int32Array.from({ length: size }, () => (trial === 0 ? hi : trial === 1 ? lo : lo + Math.floor(rnd.next() * (hi - lo + 1))));
          const x = Float64Array.from(q, (v) => v * t.scale); // exactly representable: no input error
          const yi = runInt(r.net, q).output;
          const yf = runFloat(r.fakeQuantized, x, { clip: r.clip }).output;
          const rep = r.layers[0]!;
          for (let k = 0; k < yi.length; k++) {
            expect(Math.abs(yi[k]! - yf[k]! / rep.outputScale)).toBeLessThanOrEqual(rep.layerBound * (1 + 1e-9) + 1e-9);
            compared++;
          }
        }
        layers++;
      }),
      { numRuns: 300 },
    );
    expect(layers).toBe(300);
  });

  it('compared a non-zero number of outputs', () => {
    expect(compared).toBeGreaterThan(10000);
  });
});
