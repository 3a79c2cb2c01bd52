/**
 * What the accelerator's output stream carries for one inference, predicted
 * from the layer program: the final tensor, the predicted class, the total
 * cycles, then per layer its cycles, useful MACs and output elements. The
 * cycle model is exact: a layer takes 1 (fetch) + taps + DRAIN_CYCLES cycles.
 */
import { type AccelProgram, type ProgramRun, layerCycles } from '../../src/accel/index.ts';

export interface AccelBeats {
  readonly output: readonly number[];
  readonly predicted: number;
  readonly totalCycles: number;
  readonly layers: readonly { readonly cycles: number; readonly macs: number; readonly outputElements: number }[];
}

/** Cycles per inference from the end of the input to the first output beat. */
export function expectedCycles(p: AccelProgram): number {
  return p.layers.reduce((s, d) => s + layerCycles(d), 0);
}

export function expectedBeats(p: AccelProgram, run: ProgramRun): AccelBeats {
  return {
    output: Array.from(run.output),
    predicted: run.predicted,
    totalCycles: expectedCycles(p),
    layers: p.layers.map((d, i) => ({ cycles: layerCycles(d), macs: run.layers[i]!.macs, outputElements: run.layers[i]!.outputElements })),
  };
}

export function beatsToValues(b: AccelBeats): bigint[] {
  return [...b.output, b.predicted, b.totalCycles, ...b.layers.flatMap((l) => [l.cycles, l.macs, l.outputElements])].map(BigInt);
}

export function valuesToBeats(p: AccelProgram, v: readonly bigint[]): AccelBeats {
  const n = p.output.height * p.output.width * p.output.channels;
  if (v.length !== n + 2 + 3 * p.layers.length) throw new Error(`accelerator output: expected ${n + 2 + 3 * p.layers.length} beats, got ${v.length}`);
  const num = (i: number): number => Number(v[i]!);
  return {
    output: v.slice(0, n).map(Number),
    predicted: num(n),
    totalCycles: num(n + 1),
    layers: p.layers.map((_, i) => ({ cycles: num(n + 2 + 3 * i), macs: num(n + 3 + 3 * i), outputElements: num(n + 4 + 3 * i) })),
  };
}

/**
 * The counter beats (total cycles, then per layer cycles, MACs, output elements) from the
 * descriptors alone: they do not depend on the data, and the descriptors' MAC and element
 * counts are the ones the layer program's interpreter counts tap by tap (its MACs per layer
 * sum to outChannels x inChannels x kh x kw per output pixel for the array, outChannels x
 * kh x kw on the diagonal; test/accel/expectedCounters.test.ts checks it), so cosim need not
 * interpret a 224x224 program (5-20 s) to know them. Equal to
 * beatsToValues(expectedBeats(p, run)) after the output and the predicted class.
 */
export function expectedCounterValues(p: AccelProgram): bigint[] {
  return [expectedCycles(p), ...p.layers.flatMap((d) => [layerCycles(d), d.macs, d.outputElements])].map(BigInt);
}
