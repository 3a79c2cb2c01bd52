// Fused QuantNorm + requantizer stimulus and reference. The stimulus is the
// raw per-channel parameters (QuantNorm's M and B, the requantizer's Q) with
// corners; the input words carry them folded (foldNormScale), and the
// expectation is src/ref's requantizeBig of the folded form. (The unit test
// also checks that this equals quantNorm then doubleQuantRequantize.)
import { requantizeBig } from '../../src/ref/index.ts';
import type { LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
import {
  type FusedLane,
  type FusedNormRequantConfig,
  deriveFusedNormRequant,
  foldNormScale,
  fusedNormRequantGenerator,
  fusedNormRequantInventory,
  generateFusedNormRequant,
  packFusedInput,
  packFusedOutput,
} from '../../hdl-gen/units/fusedNormRequant/index.ts';
import { laneStimulus } from './laneStimulus.ts';
import { laneCornerCount, roundingTies, withRoundingTies } from './roundingTies.ts';
import { Rng } from './rng.ts';
import { defineUnitBench, oneToOnePrefix } from './unitBench.ts';

/** The folded lanes (acc, M', B') of raw (acc, M, B, Q) lanes. */
export function foldedLanes(raw: readonly LaneValues[]): FusedLane[] {
  return raw.map((l) => ({ acc: l['acc']!, ...foldNormScale(l['multiplier']!, l['offset']!, l['scale']!) }));
}

/** Lane outputs of src/ref's folded requantizer, transaction by transaction. */
export function fusedReference(c: FusedNormRequantConfig, raw: readonly (readonly LaneValues[])[]): bigint[][] {
  const out = deriveFusedNormRequant(c).out;
  return raw.map((lanes) => foldedLanes(lanes).map((l) => requantizeBig(l.acc, l.multiplier, l.offset, c.shift, c.rounding, out)));
}

export const fusedNormRequantBench = defineUnitBench<FusedNormRequantConfig, LaneValues[]>({
  generator: fusedNormRequantGenerator,
  counts: 'lane transactions',
  defaultCount: 3000,
  module: generateFusedNormRequant,
  stimulus(c, count, seed) {
    const d = deriveFusedNormRequant(c);
    const fields = [
      { name: 'acc', shape: d.acc },
      { name: 'multiplier', shape: d.multiplier },
      { name: 'offset', shape: d.offset },
      { name: 'scale', shape: d.scale },
    ];
    // Exact rounding ties of n' = acc * M' + B': acc 0, Q 1, B the tie.
    const tx = laneStimulus(new Rng(seed), fields, c.lanes, count);
    return withRoundingTies(tx, laneCornerCount(fields), fields, roundingTies(c.shift), (tie) => ({ acc: 0n, multiplier: 1n, offset: tie, scale: 1n }));
  },
  inputs: (c, raw) => raw.map((lanes) => packFusedInput(c, foldedLanes(lanes))),
  expected: (c, raw) => fusedReference(c, raw).map((o) => packFusedOutput(c, o)),
  icarusPrefix: (_c, tx, outputs) => oneToOnePrefix(tx.length, outputs),
  inventory: fusedNormRequantInventory,
  tallyOn: 'out',
});
