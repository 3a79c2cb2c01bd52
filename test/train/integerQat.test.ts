// The QAT forward pass with the integer requantizer (src/train/integerQat.ts)
// is the compiled pikelpn network: on held-out digits its logits, divided by
// the logit scale, are runInt's integer logits exactly (the float division
// is within 1e-9 of an integer, and that integer equals runInt's), including channels whose batch-norm multiplier is negative
// (the compiler negates their weights) and a dhqScheme that overrides DHQ's
// own choice. The old fake-quantized forward (float batch norm, then rounding
// onto the grid) is shown to differ, so the comparison can fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFloatNetwork, type FloatNetwork } from '../../src/model/index.ts';
import { RECIPES, compile, type WeightScheme } from '../../src/quant/index.ts';
import { quantizeInput, runInt } from '../../src/ref/index.ts';
import { heldOut } from '../../src/train/evaluate.ts';
import { PIXELS, imageOf } from '../../src/train/dataset.ts';
import { integerPlan } from '../../src/train/integerQat.ts';
import { forward, modelFromNetwork, prepareWeights, toFloatNetwork, weightSchemes, type Model } from '../../src/train/train.ts';

const FILE = 'src/networks/trained/mnist_sep_w0p5.float.json';
const COUNT = 40;
const data = heldOut(COUNT);

/** The shipped 0.5x network with a few batch-norm multipliers made negative (gamma and beta negated: a different, valid network). */
function networkWithNegativeGammas(): FloatNetwork {
  const net = parseFloatNetwork(readFileSync(FILE, 'utf8'), FILE);
  const layers = net.layers.map((l) => {
    if ((l.op !== 'conv2d' && l.op !== 'depthwiseConv2d') || l.batchNorm === undefined || l.batchNorm === true) return l;
    const bn = l.batchNorm;
    const neg = (v: number[]): number[] => v.map((x, c) => (c % 3 === 1 ? -x : x));
    return { ...l, batchNorm: { ...bn, gamma: neg(bn.gamma), beta: neg(bn.beta) } };
  });
  return { ...net, layers };
}

/** Training-model logits (in units of the logit scale) and runInt's integer logits, digit by digit. */
function compare(model: Model, net: FloatNetwork, schemes: ReadonlyMap<string, WeightScheme>, integer: boolean): { compared: number; equal: number } {
  const compiled = compile(net, RECIPES.pikelpn).net;
  const plan = integerPlan(net, RECIPES.pikelpn);
  const fc = compiled.layers[compiled.layers.length - 1]!;
  const scale = fc.output.scale;
  prepareWeights(model, schemes);
  let compared = 0;
  let equal = 0;
  for (let n = 0; n < data.count; n++) {
    const img = imageOf(data, n);
    model.input.set(img.subarray(0, PIXELS));
    const logits = forward(model, 1, { bnTrain: false, quant: true, ...(integer ? { integer: plan } : {}) });
    const ref = runInt(compiled, quantizeInput(compiled.input.tensor, img)).output;
    for (let j = 0; j < 10; j++) {
      compared++;
      // The training model holds code * scale in floats; dividing back is exact up to one rounding.
      const code = logits[j]! / scale;
      if (Math.abs(code - Math.round(code)) < 1e-9 && Math.round(code) === ref[j]!) equal++;
    }
  }
  return { compared, equal };
}

describe('QAT forward with the integer requantizer equals the compiled network', () => {
  it(`logits equal runInt's exactly on ${COUNT} held-out digits (negative gammas included)`, () => {
    const net0 = networkWithNegativeGammas();
    const model = modelFromNetwork(net0, 1);
    const schemes = weightSchemes(model, 'pikelpn');
    const net = toFloatNetwork(model, schemes);
    const r = compare(model, net, schemes, true);
    expect(r.compared).toBe(COUNT * 10);
    expect(r.equal).toBe(r.compared);
    // The fixture would catch a forward pass that is not the integer network: the old one differs.
    const old = compare(model, net, schemes, false);
    expect(old.equal).toBeLessThan(old.compared);
  });

  it('a network file with a bad dhqScheme is refused in one line naming the field', () => {
    const j = JSON.parse(readFileSync(FILE, 'utf8')) as { layers: Record<string, unknown>[] };
    j.layers[1]!.dhqScheme = { granularity: 'per-row', clipping: 'max' };
    expect(() => parseFloatNetwork(JSON.stringify(j), 'x.json')).toThrow(/^x\.json: layers\[1\]\.dhqScheme\.granularity: .*"per-tensor"/);
    // On the stem (a 3x3 conv2d) DHQ never chooses, so a recorded choice would be ignored: refused instead.
    const k = JSON.parse(readFileSync(FILE, 'utf8')) as { layers: Record<string, unknown>[] };
    k.layers[0]!.dhqScheme = { granularity: 'per-tensor', clipping: 'max' };
    expect(() => parseFloatNetwork(JSON.stringify(k), 'x.json')).toThrow(/layers\[0\]\.dhqScheme: dhqScheme is for depthwise and pointwise/);
  });

  it('compile uses a recorded dhqScheme instead of choosing, and the forward pass still matches', () => {
    const model = modelFromNetwork(parseFloatNetwork(readFileSync(FILE, 'utf8'), FILE), 1);
    const chosen = weightSchemes(model, 'pikelpn');
    // Force every depthwise/pointwise tensor to per-tensor max (a choice DHQ would not make for all of them).
    const forced = new Map(chosen);
    for (const n of model.nodes) if (n.type === 'depthwise' || n.type === 'pointwise') forced.set(n.name, { granularity: 'per-tensor', clipping: 'max', powerOfTwoScale: false });
    const net = toFloatNetwork(model, forced);
    const reports = compile(net, RECIPES.pikelpn).layers;
    for (const n of model.nodes) {
      if (n.type !== 'depthwise' && n.type !== 'pointwise') continue;
      expect(reports.find((l) => l.name === n.name)?.scheme?.granularity).toBe('per-tensor');
    }
    expect([...chosen].some(([k, v]) => forced.get(k)?.granularity !== v.granularity)).toBe(true);
    const r = compare(model, net, forced, true);
    expect(r.equal).toBe(r.compared);
  });
});
