import { maxOf, minOf } from '../../src/arith/index.ts';
import type { FieldSpec, LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
import { type Rng, drawValue } from './rng.ts';

/**
 * `count` transactions of `lanes` lanes: first the whole-word corners (every
 * field at its max, at its min, zero, alternating max/min across lanes, and
 * each field alone at an end with the others at the opposite end), then
 * corner-heavy random data.
 */
export function laneStimulus(rng: Rng, fields: readonly FieldSpec[], lanes: number, count: number): LaneValues[][] {
  const all = (f: (field: FieldSpec, lane: number) => bigint): LaneValues[] =>
    Array.from({ length: lanes }, (_, lane) => Object.fromEntries(fields.map((fs) => [fs.name, f(fs, lane)])));
  const out: LaneValues[][] = [
    all((f) => maxOf(f.shape)),
    all((f) => minOf(f.shape)),
    all(() => 0n),
    all((f, lane) => (lane % 2 === 0 ? maxOf(f.shape) : minOf(f.shape))),
    all((f, lane) => (lane % 2 === 0 ? minOf(f.shape) : maxOf(f.shape))),
  ];
  for (const g of fields) {
    out.push(all((f) => (f === g ? maxOf(f.shape) : minOf(f.shape))));
    out.push(all((f) => (f === g ? minOf(f.shape) : maxOf(f.shape))));
  }
  while (out.length < count) out.push(all((f) => drawValue(rng, f.shape)));
  return out.slice(0, count);
}
