/**
 * Which accelerator build a co-simulation runs, as one choice:
 *   'rom'      weights, parameters and program are ROMs of this one network
 *              (the Verilog carries the images; one build per network);
 *   'loadable' they are RAMs written by a load frame before the inferences
 *              (one build per configuration; the shape a deployed accelerator
 *              has, and the one full-size networks use: their 20k-word weight
 *              images would otherwise be constants in the Verilog).
 * The AXI build (external memory) will be a third kind here; the callers see
 * a started simulator, the program compiled for that build's configuration,
 * and the frames that replay an inference.
 */
import { type AccelProgram, compileAccel } from '../../src/accel/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import type { BuiltSimulator, SimFrame } from '../types.ts';
import type { Simulator } from '../startSimulator.ts';
import { acceleratorFrame, buildAccelerator, buildLoadableAccelerator, loadFrame, startSimulator } from './acceleratorSim.ts';

export const ACCEL_BUILDS = ['rom', 'loadable'] as const;
export type AccelBuildKind = (typeof ACCEL_BUILDS)[number];

export interface OpenAccelerator {
  readonly kind: AccelBuildKind;
  readonly built: BuiltSimulator;
  /** The program as this build runs it (the loadable build's config has loadable: true). */
  readonly program: AccelProgram;
  readonly sim: Simulator;
  /** Seconds spent building (0 on a cache hit apart from the check) and loading the memories. */
  readonly buildSeconds: number;
  readonly loadSeconds: number;
  /** The frames that replay one inference from reset (for a VCD). */
  replayFrames(input: Int32Array): SimFrame[];
}

export async function openAccelerator(kind: AccelBuildKind, net: IntNetwork, program: AccelProgram, opts: { timeoutMs: number; log?: (line: string) => void }): Promise<OpenAccelerator> {
  const t0 = performance.now();
  const p = kind === 'loadable' && !program.config.loadable ? compileAccel(net, { ...program.config, loadable: true }) : program;
  const built = kind === 'loadable' ? await buildLoadableAccelerator(p.config, opts.log) : await buildAccelerator(p, opts.log);
  const buildSeconds = (performance.now() - t0) / 1000;
  const sim = await startSimulator(built, { timeoutMs: opts.timeoutMs });
  const t1 = performance.now();
  const load = kind === 'loadable' ? [loadFrame(p)] : [];
  try {
    for (const f of load) await sim.run(f);
  } catch (e) {
    await sim.close().catch(() => undefined);
    throw e;
  }
  const loadSeconds = (performance.now() - t1) / 1000;
  return { kind, built, program: p, sim, buildSeconds, loadSeconds, replayFrames: (input) => [...load, acceleratorFrame(p, input)] };
}
