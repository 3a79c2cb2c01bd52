/**
 * The accelerator's cycle model and utilization, from the layer program
 * alone (the RTL's counters must match it exactly; the co-simulation checks).
 * A layer takes 1 fetch cycle + one cycle per tap + DRAIN_CYCLES. The MAC
 * array has lanes^2 multipliers; depthwise and pooling layers run on its
 * diagonal (lanes multipliers), the "depthwise engine" of this design.
 */
import type { AccelProgram, LayerDesc } from './program.ts';

/** Cycles a layer waits after its last tap for the pipeline's writes to land. */
export const DRAIN_CYCLES = 6;

export const layerCycles = (d: LayerDesc): number => 1 + d.taps + DRAIN_CYCLES;

/** Multipliers of the engine running the layer. */
export const engineMultipliers = (p: AccelProgram, d: LayerDesc): number => (d.kind === 'conv' ? p.config.lanes * p.config.lanes : p.config.lanes);

export interface LayerPerformance {
  readonly name: string;
  readonly op: string;
  readonly engine: 'mac-array' | 'diagonal';
  readonly macs: number;
  readonly cycles: number;
  /** ceil(MACs / engine multipliers). */
  readonly idealCycles: number;
  /** MACs / (engine multipliers x cycles). */
  readonly utilization: number;
}

export interface ProgramPerformance {
  readonly layers: readonly LayerPerformance[];
  readonly cycles: number;
  readonly idealCycles: number;
  /** Useful MACs / (lanes^2 x cycles) over the layers the MAC array runs (conv, pointwise, dense). */
  readonly macArrayUtilization: number;
  /** Over the pointwise layers only (the 80% target). */
  readonly pointwiseUtilization: number;
  /** Useful MACs / (lanes x cycles) over depthwise layers. */
  readonly depthwiseUtilization: number;
  readonly multipliers: number;
}

export function programPerformance(p: AccelProgram): ProgramPerformance {
  const layers = p.layers.map((d) => {
    const mults = engineMultipliers(p, d);
    const cycles = layerCycles(d);
    return { name: d.name, op: d.op, engine: d.kind === 'conv' ? ('mac-array' as const) : ('diagonal' as const), macs: d.macs, cycles, idealCycles: Math.ceil(d.macs / mults), utilization: d.macs / (mults * cycles) };
  });
  const ratio = (sel: (d: LayerDesc) => boolean, mults: number): number => {
    const ls = p.layers.filter(sel);
    const cyc = ls.reduce((s, d) => s + layerCycles(d), 0);
    return cyc === 0 ? 0 : ls.reduce((s, d) => s + d.macs, 0) / (mults * cyc);
  };
  const L = p.config.lanes;
  return {
    layers,
    cycles: layers.reduce((s, l) => s + l.cycles, 0),
    idealCycles: layers.reduce((s, l) => s + l.idealCycles, 0),
    macArrayUtilization: ratio((d) => d.kind === 'conv', L * L),
    pointwiseUtilization: ratio((d) => d.op === 'conv2d' && d.kh === 1 && d.kw === 1, L * L),
    depthwiseUtilization: ratio((d) => d.op === 'depthwiseConv2d', L),
    multipliers: L * L,
  };
}
