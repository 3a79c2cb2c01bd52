// src/cost's analytic tally of each elementwise unit's workload: the
// independent side the netlist-derived inventories are compared with, in the
// co-simulation tests (times the simulated handshakes) and in
// inventoryVsAnalytic.test.ts (many configurations, no simulation).
import { maxOf, range, rangeOf, signed } from '../../src/arith/index.ts';
import { type LayerTally, type OpCount, DEFAULT_COST_TABLE, opKey, tallyLayer, tallyWorkloads, workloadCounts } from '../../src/cost/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { type ActivationConfig, deriveActivation } from '../../hdl-gen/units/activation/index.ts';
import { type FusedNormRequantConfig, deriveFusedNormRequant } from '../../hdl-gen/units/fusedNormRequant/index.ts';
import type { QuantNormConfig } from '../../hdl-gen/units/quantNorm/index.ts';
import { type DoubleQuantConfig, type TfliteConfig, deriveRequantizer } from '../../hdl-gen/units/requantizer/index.ts';
import { type ResidualConfig, deriveResidual } from '../../hdl-gen/units/residual/index.ts';

/** Double Quantization's rescale stage (with the bias add when the unit has one), on the unit's shapes. */
export function analyticDoubleQuant(c: DoubleQuantConfig, elements: number): LayerTally {
  const recipe = { ...RECIPES.pikelpn, doubleQuant: { scaleBits: c.scaleBits }, rounding: c.rounding };
  const out = rangeOf(deriveRequantizer(c).out);
  const counts = workloadCounts({ kind: 'rescale', elements, input: signed(c.accBits), bias: c.bias, shift: c.shift, out }, recipe);
  // A per-tensor scale of 0 multiplies by a constant zero: the emitter folds the
  // multiplier away; src/cost has no constant operands (docs/acev2.md, "Hardware vs analytic").
  return tallyLayer(c.name, 'unit', c.tensorScale === 0 ? counts.filter((o) => o.op.kind !== 'intMul') : counts, DEFAULT_COST_TABLE);
}

/**
 * TFLite's requantizer as src/cost counts it (TFLite's int32 algorithm), with
 * the documented differences of this project's RTL (docs/acev2.md, "Hardware
 * vs analytic"): the nudge add at the 33-bit floor instead of 64 bits, the
 * rounding divide's barrel shift of 2x (33 bits) plus a second barrel shifter
 * that builds the sticky mask, and the zero-point add and the clamp one and
 * two bits wider (the DSL's growing adds).
 */
export function analyticTfliteAsBuilt(c: TfliteConfig, elements: number): LayerTally {
  const out = rangeOf(deriveRequantizer(c).out);
  const counts = workloadCounts(
    { kind: 'requantizer', elements, acc: signed(c.accBits), batchNorm: true, activation: 'none', outputZeroPoint: c.outputZeroPoint, out },
    RECIPES.tflite8,
  );
  const rtl: OpCount[] = [];
  // The clamp's compares come after the rounding divide's increment (intAdd 32x1); the sticky compare before it.
  const increment = counts.findIndex((o) => opKey(o.op) === 'intAdd 32x1');
  counts.forEach((o, i) => {
    const key = opKey(o.op);
    if (key === 'intAdd 64x1') rtl.push({ ...o, op: { kind: 'intAdd', a: 33, b: 1 } });
    else if (key === 'shiftVar 32 by 5') rtl.push({ ...o, op: { kind: 'shiftVar', width: 33, amountBits: 5 } }, o);
    else if (key === 'intAdd 32x8') rtl.push({ ...o, op: { kind: 'intAdd', a: 33, b: 8 } });
    else if (i > increment && key === 'compare 32') rtl.push({ ...o, op: { kind: 'compare', width: 34 } });
    else rtl.push(o);
  });
  return tallyLayer(c.name, 'unit', rtl, DEFAULT_COST_TABLE);
}

/** The activation workload: PReLU's slope width and rounding from the config; ReLUs clamp to [0, hi]. */
export function analyticActivation(c: ActivationConfig, elements: number): LayerTally {
  const d = deriveActivation(c);
  const out = c.kind === 'prelu' ? rangeOf(d.out) : range(0n, c.kind === 'clippedRelu' ? BigInt(c.clipHigh!) : maxOf(d.out));
  return tallyWorkloads(
    c.name,
    [{ kind: 'activation', elements, input: d.x, activation: c.kind === 'prelu' ? 'prelu' : c.kind === 'relu' ? 'relu' : 'relu6', preluShift: c.slopeShift, out }],
    { ...RECIPES.pikelpn, prelu: { slopeBits: c.slopeBits }, rounding: c.rounding },
  );
}

export function analyticResidual(c: ResidualConfig, elements: number): LayerTally {
  const d = deriveResidual(c);
  const counts = workloadCounts({ kind: 'residual', elements, a: d.a, b: d.b, activation: 'none', shift: c.shift, out: rangeOf(d.out) }, {
    ...RECIPES.pikelpn,
    doubleQuant: { scaleBits: c.scaleBits },
    rounding: c.rounding,
  });
  // The two rescale multiplies come first (a, then b); a per-tensor scale of 0 has none in the RTL (see analyticDoubleQuant).
  const zero = [c.tensorScales?.a === 0, c.tensorScales?.b === 0];
  let mul = 0;
  const kept = counts.filter((o) => o.op.kind !== 'intMul' || !zero[mul++]);
  return tallyLayer(c.name, 'unit', kept, DEFAULT_COST_TABLE);
}

/** QuantNorm is the 'norm' part of a requantizer with batch norm. */
export function analyticQuantNorm(c: QuantNormConfig, elements: number): LayerTally {
  const counts = workloadCounts(
    { kind: 'requantizer', elements, acc: signed(c.accBits), batchNorm: true, activation: 'none' },
    { ...RECIPES.pikelpn, quantNorm: { multiplierBits: c.multiplierBits } },
  ).filter((o) => o.category === 'norm');
  return tallyLayer(c.name, 'unit', counts, DEFAULT_COST_TABLE);
}

/** The fused unit: src/cost's requantizer with batch norm, folded. */
export function analyticFused(c: FusedNormRequantConfig, elements: number, fused = true): LayerTally {
  const recipe = { ...RECIPES.pikelpn, quantNorm: { multiplierBits: c.multiplierBits }, doubleQuant: { scaleBits: c.scaleBits }, rounding: c.rounding };
  const out = rangeOf(deriveFusedNormRequant(c).out);
  return tallyWorkloads(fused ? c.name : 'pair', [{ kind: 'requantizer', elements, acc: signed(c.accBits), batchNorm: true, activation: 'none', shift: c.shift, fused, out }], recipe);
}
