// Max pooling end to end in the reference: the kernel against an independent
// oracle (explicit -inf padding), with broken variants shown to fail the same
// property; the float and integer schemas' refusals; compile keeping the
// input's tensor; a compiled network with padded, signed and strided max pools
// inside its error bound; the cost model's compares.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parseFloatNetwork, validateFloatNetwork, validateIntNetwork, walkIntNetwork, type FloatNetwork, type IntNetwork } from '../../src/model/index.ts';
import { compile, RECIPES, withTechniques, seededRandom } from '../../src/quant/index.ts';
import { maxPoolInto, runFloat, runInt, quantizeInput, windowGeometry } from '../../src/ref/index.ts';
import { maxPoolOps, tallyLayers } from '../../src/cost/index.ts';
import { builtinNetwork } from '../../src/networks/builtins.ts';
import { modelRefusal } from '../support/modelRefusal.ts';

interface Case { h: number; w: number; c: number; k: number; s: number; p: number; values: number[] }

const caseArb: fc.Arbitrary<Case> = fc
  .record({ h: fc.integer({ min: 1, max: 7 }), w: fc.integer({ min: 1, max: 7 }), c: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 3 }) })
  .filter((r) => r.p < r.k && r.h + 2 * r.p >= r.k && r.w + 2 * r.p >= r.k)
  .chain((r) => fc.array(fc.integer({ min: -8, max: 7 }), { minLength: r.h * r.w * r.c, maxLength: r.h * r.w * r.c }).map((values) => ({ ...r, values })));

/** The oracle: build the padded tensor with -inf explicitly, then take plain window maxima. */
function oracle(t: Case): number[] {
  const ph = t.h + 2 * t.p;
  const pw = t.w + 2 * t.p;
  const padded = new Array<number>(ph * pw * t.c).fill(-Infinity);
  for (let y = 0; y < t.h; y++) for (let x = 0; x < t.w; x++) for (let ch = 0; ch < t.c; ch++) padded[((y + t.p) * pw + x + t.p) * t.c + ch] = t.values[(y * t.w + x) * t.c + ch]!;
  const oh = Math.floor((ph - t.k) / t.s) + 1;
  const ow = Math.floor((pw - t.k) / t.s) + 1;
  const out: number[] = [];
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < t.c; ch++) {
        const window: number[] = [];
        for (let ky = 0; ky < t.k; ky++) for (let kx = 0; kx < t.k; kx++) window.push(padded[((oy * t.s + ky) * pw + ox * t.s + kx) * t.c + ch]!);
        out.push(Math.max(...window));
      }
    }
  }
  return out;
}

type Kernel = (t: Case) => number[];
const reference: Kernel = (t) => {
  const g = windowGeometry(t.h, t.w, t.c, t.k, t.s, t.p, t.c);
  const out = new Int32Array(g.outH * g.outW * t.c);
  maxPoolInto(Int32Array.from(t.values), g, out);
  return Array.from(out);
};
// Broken variants: padding that wins (zero-filled), and a window one short.
const paddingWins: Kernel = (t) => oracle({ ...t, values: t.values }).map((v, i) => Math.max(v, t.p > 0 && edgeTouches(t, i) ? 0 : -Infinity));
const shortWindow: Kernel = (t) => (t.k === 1 ? reference(t) : reference({ ...t, k: t.k - 1, p: Math.min(t.p, t.k - 2) }).slice(0, oracle(t).length));
function edgeTouches(t: Case, i: number): boolean {
  const ow = Math.floor((t.w + 2 * t.p - t.k) / t.s) + 1;
  const oh = Math.floor((t.h + 2 * t.p - t.k) / t.s) + 1;
  const pix = Math.floor(i / t.c);
  const oy = Math.floor(pix / ow);
  const ox = pix % ow;
  const y0 = oy * t.s - t.p;
  const x0 = ox * t.s - t.p;
  return oy < oh && (y0 < 0 || x0 < 0 || y0 + t.k > t.h || x0 + t.k > t.w);
}

const property = (k: Kernel) => fc.property(caseArb, (t) => {
  expect(k(t)).toEqual(oracle(t));
});

describe('maxPoolInto', () => {
  it('equals the -inf-padded oracle on 300 random cases (sizes, kernels, strides, padding, signed values)', () => {
    let compared = 0;
    fc.assert(fc.property(caseArb, (t) => {
      const got = reference(t);
      expect(got).toEqual(oracle(t));
      compared += got.length;
    }), { numRuns: 300, seed: 11 });
    expect(compared).toBeGreaterThan(1000);
  });
  it('the property catches padding that wins and a short window', () => {
    for (const broken of [paddingWins, shortWindow]) {
      expect(fc.check(property(broken), { numRuns: 300, seed: 11 }).failed).toBe(true);
    }
  });
  it('padding never wins: an all-negative input keeps its own maxima at the edges (float and integer)', () => {
    const x = [-5, -2, -7, -3];
    const g = windowGeometry(2, 2, 1, 3, 1, 1, 1);
    const f = new Float64Array(4);
    maxPoolInto(Float64Array.from(x), g, f);
    expect(Array.from(f)).toEqual([-2, -2, -2, -2]);
    expect(() => maxPoolInto(Int32Array.from(x), { ...g, padding: 3 }, new Int32Array(4))).toThrow(/padding 3 must be below the kernel 3/);
  });
});

const fixture = parseFloatNetwork(readFileSync(new URL('../fixtures/models/tiny-separable.float.json', import.meta.url), 'utf8'));

/** The fixture with max pools: 3x3/1 pad 1 after the (unsigned) stem and after the signed pw2, 2x2/2 before the global pool. */
function withMaxPools(): FloatNetwork {
  const layers: FloatNetwork['layers'] = [];
  for (const l of structuredClone(fixture.layers)) {
    if (l.name === 'res') layers.push({ ...l, input: 'mp2' });
    else if (l.name === 'pool') layers.push({ op: 'maxPool', name: 'mp3', kernel: 2 }, l);
    else layers.push(l);
    if (l.name === 'stem') layers.push({ op: 'maxPool', name: 'mp1', kernel: 3, stride: 1, padding: 1 });
    if (l.name === 'pw2') layers.push({ op: 'maxPool', name: 'mp2', kernel: 3, stride: 1, padding: 1 });
  }
  return validateFloatNetwork({ ...fixture, name: 'tiny-separable-maxpool', layers });
}

const refusal = modelRefusal;

describe('max pooling in the network files', () => {
  const net = withMaxPools();
  it('refuses padding not below the kernel, a window that does not fit, and unknown fields (float)', () => {
    const bad = (i: number, patch: Record<string, unknown>): unknown => ({ ...net, layers: net.layers.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
    expect(refusal(() => validateFloatNetwork(bad(1, { padding: 3 })))).toContain('layers[1].padding: padding 3 is invalid for pool kernel 3: padding must be below the kernel size');
    expect(refusal(() => validateFloatNetwork(bad(1, { kernel: 11, padding: 0 })))).toContain('layers[1].kernel: pool kernel 11 with padding 0 does not fit the 8x8x4 input');
    expect(refusal(() => validateFloatNetwork(bad(1, { rounding: 'rne' })))[0]).toMatch(/layers\[1\].*rounding/);
  });
  const compiled = compile(net, RECIPES.pikelpn).net;
  it('compile keeps the input tensor (bits, signedness, scale) and refuses a changed one in the integer file', () => {
    const byName = new Map(compiled.layers.map((l) => [l.name, l]));
    for (const [mp, src] of [['mp1', 'stem'], ['mp2', 'pw2'], ['mp3', 'res']] as const) {
      const m = byName.get(mp)!;
      const s = byName.get(src)!;
      expect(m.op).toBe('maxPool');
      expect({ bits: m.output.bits, signed: m.output.signed, scale: m.output.scale }).toEqual({ bits: s.output.bits, signed: s.output.signed, scale: s.output.scale });
    }
    expect(byName.get('mp2')!.output.signed).toBe(true);
    const i = compiled.layers.findIndex((l) => l.name === 'mp1');
    const patched = (patch: Record<string, unknown>): IntNetwork => ({ ...compiled, layers: compiled.layers.map((l, j) => (j === i ? { ...l, ...patch } : l)) } as IntNetwork);
    expect(refusal(() => validateIntNetwork(patched({ output: { ...compiled.layers[i]!.output, scale: 1 } })))).toContain(`layers[${i}].output: max pooling keeps its input tensor: output bits, signedness and scale must equal the input's`);
    expect(refusal(() => validateIntNetwork(patched({ padding: 3 })))).toContain(`layers[${i}].padding: padding 3 is invalid for pool kernel 3: padding must be below the kernel size`);
  });

  for (const [name, recipe] of [['pikelpn', RECIPES.pikelpn], ['conventional4', RECIPES.conventional4], ['tflite8', RECIPES.tflite8], ['pikelpn all off', withTechniques(RECIPES.pikelpn, { quantNorm: false, doubleQuant: false, dhq: false, quantizedPrelu: false })]] as const) {
    it(`${name}: runInt's max pools equal the oracle on their integer inputs, number == BigInt, within the propagated bound`, () => {
      const r = compile(net, recipe);
      const shapes = walkIntNetwork(r.net).shapes;
      const rnd = seededRandom(5);
      let compared = 0;
      for (let n = 0; n < 8; n++) {
        const x = Float64Array.from({ length: 64 }, () => rnd.uniform(-0.2, 1.2));
        const q = quantizeInput(r.net.input.tensor, x);
        const run = runInt(r.net, q);
        const big = runInt(r.net, q, { forceBigInt: true });
        r.net.layers.forEach((l, idx) => {
          expect(Array.from(big.outputs.get(l.name)!)).toEqual(Array.from(run.outputs.get(l.name)!));
          if (l.op !== 'maxPool') return;
          const { height: h, width: w, channels: c } = shapes[idx]!.input;
          const want = oracle({ h, w, c, k: l.kernel, s: l.stride, p: l.padding, values: Array.from(run.outputs.get(l.input)!) });
          expect(Array.from(run.outputs.get(l.name)!)).toEqual(want);
          compared += want.length;
        });
        const f = runFloat(r.fakeQuantized, x, { clip: r.clip });
        for (const rep of r.layers) {
          const yi = run.outputs.get(rep.name)!;
          const yf = f.outputs.get(rep.name)!;
          for (let k = 0; k < yi.length; k++) expect(Math.abs(yi[k]! - yf[k]! / rep.outputScale)).toBeLessThanOrEqual(rep.networkBound + 1e-9);
        }
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }
});

describe('max pooling in the cost model', () => {
  it('costs window - 1 compares at the input width (float: at the float width)', () => {
    const u4 = { width: 4, signed: false };
    expect(maxPoolOps({ input: u4, window: 9 }, RECIPES.pikelpn)).toEqual([{ category: 'pooling', op: { kind: 'compare', width: 4 }, perElement: 8 }]);
    expect(maxPoolOps({ input: u4, window: 1 }, RECIPES.pikelpn)).toEqual([]);
    expect(maxPoolOps({ input: u4, window: 4 }, RECIPES.float32)).toEqual([{ category: 'pooling', op: { kind: 'compare', width: 32 }, perElement: 3 }]);
  });
  it("ResNet-18's stem pool is the paper's 3x3/2 pad-1 max pool: 56x56x64 outputs, 8 compares each", () => {
    const net = builtinNetwork('resnet18');
    const pool1 = net.layers.find((l) => l.name === 'pool1');
    expect(pool1).toEqual({ name: 'pool1', op: 'maxPool', kernel: 3, stride: 2, padding: 1 });
    const t = tallyLayers(net, RECIPES.pikelpn).find((l) => l.name === 'pool1')!;
    expect(t.ops.map((o) => [o.key, o.count])).toEqual([['compare 4', 56 * 56 * 64 * 8]]);
  });
});
