// The elementwise units' inventories are read off their emitted netlists;
// src/cost's analytic tally of the same workload is derived independently
// from the width rules. Per transaction the two must agree, tally for tally,
// over many configurations (no simulation here: the co-simulation tests
// multiply the same inventories by simulated handshakes). Where the RTL and
// the analytic model were found to differ, docs/acev2.md ("Hardware vs
// analytic") says which side was right and what was fixed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES, range, shape } from '../../src/arith/index.ts';
import { DEFAULT_COST_TABLE, type OperatorInventory, tallyFromInventory, tallyWorkloads } from '../../src/cost/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { type AvgPoolConfig, avgPoolGenerator, avgPoolInventory, deriveAvgPool } from '../../hdl-gen/units/avgPool/index.ts';
import { activationGenerator, activationInventory, type ActivationConfig } from '../../hdl-gen/units/activation/index.ts';
import { fusedNormRequantGenerator, fusedNormRequantInventory, type FusedNormRequantConfig } from '../../hdl-gen/units/fusedNormRequant/index.ts';
import { quantNormGenerator, quantNormInventory, type QuantNormConfig } from '../../hdl-gen/units/quantNorm/index.ts';
import { type DoubleQuantConfig, type TfliteConfig, requantizerGenerator, requantizerInventory, requantizerSchema } from '../../hdl-gen/units/requantizer/index.ts';
import { residualGenerator, residualInventory, type ResidualConfig } from '../../hdl-gen/units/residual/index.ts';
import { analyticActivation, analyticDoubleQuant, analyticFused, analyticQuantNorm, analyticResidual, analyticTfliteAsBuilt } from './analyticOfUnit.ts';
import { type DepthwiseConfig, depthwise, depthwiseConfig, depthwiseGeometry, depthwiseInventory } from '../../hdl-gen/units/depthwise/index.ts';
import { type MacArrayConfig, macArrayConfig, macArrayInventory } from '../../hdl-gen/units/macArray/index.ts';
import { macInventory } from '../../hdl-gen/units/macInventory.ts';
import { propertySeed } from './elementwiseStimulus.ts';

const RUNS = process.env.PIKEHDL_FUZZ === 'long' ? 2000 : 150;
const perTransaction = (inv: OperatorInventory) => tallyFromInventory(inv, 1, DEFAULT_COST_TABLE);
const rounding = fc.constantFrom(...ROUNDING_MODES);

const dq = fc
  .record({ lanes: fc.integer({ min: 1, max: 3 }), accBits: fc.integer({ min: 2, max: 40 }), scaleBits: fc.integer({ min: 2, max: 16 }), bias: fc.boolean(), tensorScale: fc.option(fc.nat(3), { nil: undefined }), shift: fc.integer({ min: 0, max: 64 }), rounding, outBits: fc.integer({ min: 2, max: 8 }), outSigned: fc.boolean() })
  .map((r) => requantizerSchema.parse({ variant: 'doubleQuant', name: 'rq', ...r, ...(r.tensorScale === undefined ? {} : { tensorScale: r.tensorScale }) }) as DoubleQuantConfig);

const tflite = fc
  .record({ lanes: fc.integer({ min: 1, max: 3 }), accBits: fc.integer({ min: 2, max: 32 }), outBits: fc.integer({ min: 2, max: 8 }), outSigned: fc.boolean(), zp: fc.boolean() })
  .map((r) => requantizerSchema.parse({ variant: 'tflite', name: 'rq', lanes: r.lanes, accBits: r.accBits, outBits: r.outBits, outSigned: r.outSigned, outputZeroPoint: r.zp ? 1 : 0 }) as TfliteConfig);

const activation = fc
  .record({ kind: fc.constantFrom('relu', 'clippedRelu', 'prelu'), lanes: fc.integer({ min: 1, max: 3 }), inBits: fc.integer({ min: 2, max: 32 }), clip: fc.nat(255), slopeBits: fc.integer({ min: 2, max: 16 }), slopeShift: fc.integer({ min: 0, max: 31 }), rounding, outBits: fc.integer({ min: 2, max: 8 }), outSigned: fc.boolean() })
  .map((r): ActivationConfig => {
    const outMax = r.outSigned ? 2 ** (r.outBits - 1) - 1 : 2 ** r.outBits - 1;
    const { clip, ...rest } = r;
    return activationGenerator.parse({ ...rest, name: 'act', ...(r.kind === 'clippedRelu' ? { clipHigh: clip % (outMax + 1) } : {}) }) as ActivationConfig;
  });

const residual = fc
  .record({ lanes: fc.integer({ min: 1, max: 3 }), aBits: fc.integer({ min: 2, max: 16 }), aSigned: fc.boolean(), bBits: fc.integer({ min: 2, max: 16 }), bSigned: fc.boolean(), scaleBits: fc.integer({ min: 2, max: 16 }), scales: fc.option(fc.record({ a: fc.nat(3), b: fc.nat(3) }), { nil: undefined }), shift: fc.integer({ min: 0, max: 48 }), rounding, outBits: fc.integer({ min: 2, max: 8 }), outSigned: fc.boolean() })
  .map(({ scales, ...r }) => residualGenerator.parse({ name: 'res', ...r, ...(scales === undefined ? {} : { tensorScales: scales }) }) as ResidualConfig);

const quantNorm = fc
  .record({ lanes: fc.integer({ min: 1, max: 3 }), accBits: fc.integer({ min: 2, max: 32 }), multiplierBits: fc.integer({ min: 2, max: 16 }), multiplierSigned: fc.boolean() })
  .map((r) => quantNormGenerator.parse({ name: 'qn', ...r }) as QuantNormConfig);

const fused = fc
  .record({ lanes: fc.integer({ min: 1, max: 3 }), accBits: fc.integer({ min: 2, max: 32 }), multiplierBits: fc.integer({ min: 2, max: 16 }), scaleBits: fc.integer({ min: 2, max: 16 }), shift: fc.integer({ min: 0, max: 96 }), rounding, outBits: fc.integer({ min: 2, max: 8 }), outSigned: fc.boolean() })
  .map((r) => fusedNormRequantGenerator.parse({ name: 'fused', ...r }) as FusedNormRequantConfig);

describe('netlist-derived inventory = src/cost analytic tally, per transaction', () => {
  const check = <C extends { lanes: number }>(name: string, arb: fc.Arbitrary<C>, inv: (c: C) => OperatorInventory, analytic: (c: C, elements: number) => unknown, seed: number) =>
    it(`${name}: ${RUNS} configurations`, () => {
      let checked = 0;
      fc.assert(
        fc.property(arb, (c) => {
          expect(perTransaction(inv(c)), JSON.stringify(c)).toEqual(analytic(c, c.lanes));
          checked++;
        }),
        { seed: propertySeed(seed), numRuns: RUNS },
      );
      expect(checked).toBe(RUNS);
    });
  check('requantizer doubleQuant', dq, requantizerInventory, analyticDoubleQuant, 9101);
  check('requantizer tflite (with the documented RTL widths)', tflite, requantizerInventory, analyticTfliteAsBuilt, 9102);
  check('activation', activation, activationInventory, analyticActivation, 9103);
  check('residual', residual, residualInventory, analyticResidual, 9104);
  check('quantNorm', quantNorm, quantNormInventory, analyticQuantNorm, 9105);
  check('fusedNormRequant', fused, fusedNormRequantInventory, analyticFused, 9106);
});

describe('the issue\'s example: requantizer accBits 8, scaleBits 4, shift 14', () => {
  it('has no clamp compare in the RTL and none is counted; the rounding add is at the floor width', () => {
    const c = requantizerGenerator.parse({ variant: 'doubleQuant', lanes: 1, accBits: 8, scaleBits: 4, shift: 14 }) as DoubleQuantConfig;
    const ops = requantizerInventory(c).operators.map((o) => `${o.kind} ${'width' in o ? o.width : 'a' in o ? `${o.a}x${o.b}` : ''}`);
    expect(ops.filter((o) => o.startsWith('compare'))).toEqual([]);
    // (acc s8 + bias s8) s9 x u4 = s13; floor(s13 / 2^14) is the sign (s1): + the rounding bit at 1 bit.
    expect(ops).toContain('intAdd 1x1');
    expect(perTransaction(requantizerInventory(c))).toEqual(analyticDoubleQuant(c, 1));
  });
});

describe('average pooling: the division read off the netlist = src/cost pool tally', () => {
  it(`${RUNS} configurations`, () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.record({ channels: fc.integer({ min: 1, max: 3 }), kernel: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant('global' as const)), bits: fc.integer({ min: 1, max: 8 }), signed: fc.boolean(), rounding }),
        (r) => {
          const c = avgPoolGenerator.parse({ name: 'pool', channels: r.channels, kernel: r.kernel, height: 6, width: 6, inputBits: r.bits, inputSigned: r.signed, rounding: r.rounding }) as AvgPoolConfig;
          const d = deriveAvgPool(c);
          const analytic = tallyWorkloads(c.name, [{ kind: 'pool', outputs: c.channels, window: d.count, input: d.value }], { ...RECIPES.pikelpn, rounding: c.rounding });
          expect(perTransaction(avgPoolInventory(c)), JSON.stringify(c)).toEqual(analytic);
          checked++;
        },
      ),
      { seed: propertySeed(9107), numRuns: RUNS },
    );
    expect(checked).toBe(RUNS);
  });
});

// The MAC units: their inventories are read off the netlist too
// (hdl-gen/units/macInventory.ts). Per transaction the analytic side has no
// natural unit (its accumulator follows from the whole reduction), so the
// comparison is per output tile: the MAC array's K steps, the depthwise
// engine's one output pixel (all its taps fire in that transaction).
const MAC_RUNS = RUNS;

const macArrayArb = fc
  .record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }), depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1 << 20 })), weightKind: fc.constantFrom('int', 'binary', 'ternary'), weightBits: fc.integer({ min: 1, max: 8 }), weightSigned: fc.boolean(), activationBits: fc.integer({ min: 1, max: 8 }), activationSigned: fc.boolean() })
  .map(({ weightBits, weightSigned, ...r }): MacArrayConfig => macArrayConfig.parse({ ...r, ...(r.weightKind === 'int' ? { weightBits, weightSigned } : {}) }));

const depthwiseArb = fc
  .record({ channels: fc.integer({ min: 1, max: 4 }), kernel: fc.integer({ min: 2, max: 7 }), stride: fc.constantFrom(1, 2, 4), weightBits: fc.integer({ min: 1, max: 8 }), weightSigned: fc.boolean(), activationBits: fc.integer({ min: 1, max: 8 }), activationSigned: fc.boolean() })
  .map((r): DepthwiseConfig => depthwiseConfig.parse({ ...r, width: 8, height: 8 }));

/** src/cost's dot workload of one output tile: binary and ternary codes stand for the values -1..1. */
function analyticMacTile(c: MacArrayConfig) {
  return tallyWorkloads(c.name, [
    { kind: 'dot', outputs: c.rows * c.cols, depth: c.depth, weight: shape(c.weightBits, c.weightSigned), ...(c.weightKind === 'int' ? {} : { weightRange: range(-1n, 1n) }), activation: shape(c.activationBits, c.activationSigned) },
  ], RECIPES.pikelpn);
}

function analyticDepthwisePixel(c: DepthwiseConfig) {
  const g = depthwiseGeometry(c);
  return tallyWorkloads(c.name, [{ kind: 'dot', outputs: c.channels, depth: g.taps, weight: g.weight, activation: g.activation }], RECIPES.pikelpn);
}

describe('MAC units: netlist-derived inventory = src/cost analytic tally, per output tile', () => {
  it(`macArray: ${MAC_RUNS} configurations (int, binary, ternary weights)`, () => {
    let checked = 0;
    fc.assert(
      fc.property(macArrayArb, (c) => {
        const hw = tallyFromInventory(macArrayInventory(c), c.depth, DEFAULT_COST_TABLE);
        expect(hw, JSON.stringify(c)).toEqual(analyticMacTile(c));
        expect(hw.macs).toBe(c.rows * c.cols * c.depth);
        checked++;
      }),
      { seed: propertySeed(9108), numRuns: MAC_RUNS },
    );
    expect(checked).toBe(MAC_RUNS);
  });

  it(`depthwise: ${MAC_RUNS} configurations`, () => {
    let checked = 0;
    fc.assert(
      fc.property(depthwiseArb, (c) => {
        const hw = tallyFromInventory(depthwiseInventory(c), 1, DEFAULT_COST_TABLE);
        expect(hw, JSON.stringify(c)).toEqual(analyticDepthwisePixel(c));
        expect(hw.macs).toBe(c.channels * c.kernel * c.kernel);
        checked++;
      }),
      { seed: propertySeed(9109), numRuns: MAC_RUNS },
    );
    expect(checked).toBe(MAC_RUNS);
  });

  it('an operator the unit does not classify is an error naming it, not a silent omission', () => {
    const c = depthwiseConfig.parse({ channels: 1, kernel: 2, width: 3, height: 3 });
    // A classifier that knows only the control logic: the multipliers must not vanish from the count.
    expect(() => macInventory(depthwise(c), (o) => (/^sum_ch/.test(o.signal) ? undefined : { role: 'control' }))).toThrow(/operator mul 4x4 into sum_ch0 is neither a product/);
  });
});
