/**
 * Runs one mutant of a built schemata through the unit's property
 * co-simulation (checkUnit's Verilator runs: always ready with every output
 * compared, then the random-backpressure seeds and the slow consumer) and
 * says whether the properties caught it. A mutant that hangs is stopped by
 * the harness's cycle budget or the wall-clock timeout and counts as killed
 * by timeout, never as a crash of the tool.
 *
 * Two properties beyond the unit tests' output comparison:
 * - cycle-exact handshake timing under every pattern: each frame's cycle and
 *   handshake counts must equal the original's under the same (seeded) stall
 *   pattern, not only in the always-ready run. Mutants that only change when
 *   a unit stalls (a ready that waits when it need not, a pipeline stage that
 *   leaves a bubble) compute the right values and are caught only here.
 * - unknown initial state: the schemata is built with Verilator's
 *   `--x-initial unique`, and every launch starts from registers that are not
 *   zero (random with a fixed seed, then all ones), so a mutant that relies on
 *   a register without a reset starting at 0 is exposed (and so would be a
 *   generator that forgot a reset: the original must pass too).
 */
import { type BuiltSimulator, type SimFrame, SimError, compareOutputs, startSimulator } from '../../sim/index.ts';

export type MutantOutcome = 'killed' | 'timeout' | 'survived';

/** The Verilator flags that let a launch choose the registers' initial values at run time. */
export const UNKNOWN_INITIAL_STATE_FLAGS: readonly string[] = ['--x-assign', 'unique', '--x-initial', 'unique'];

/** One process of the property run: its initial state and how many of the frames it runs (from the first). */
export interface Launch {
  readonly name: string;
  readonly args: readonly string[];
  /** 'short': only the first frames (PropertyFrames.shortLaunchFrames); default all. */
  readonly frames?: 'short';
}

export const LAUNCHES: readonly Launch[] = [
  { name: 'random initial state', args: ['+verilator+rand+reset+2', '+verilator+seed+1'] },
  { name: 'all-ones initial state', args: ['+verilator+rand+reset+1'], frames: 'short' },
];

/** What the harness counted in one frame; compared with the original's under the same pattern. */
export interface FrameTiming {
  readonly cycles: number;
  readonly inHandshakes: number;
  readonly outHandshakes: number;
}

export interface MutantRun {
  readonly outcome: MutantOutcome;
  /** Which check caught it (empty for a survivor). */
  readonly by: string;
  /** Per launch, per frame run (when every frame completed). */
  readonly timing?: readonly (readonly FrameTiming[])[];
}

export interface PropertyFrames {
  /** The frames run in order in one process (units: always ready, the backpressure seeds, the slow consumer). */
  readonly frames: readonly SimFrame[];
  readonly names: readonly string[];
  /** Packed expected outputs of each frame (expectOutputs of them). */
  readonly expected: readonly Uint8Array[];
  /** Frames a launch with `frames: 'short'` runs (default 1: the always-ready run). */
  readonly shortLaunchFrames?: number;
  /** Per frame: the harness must count exactly `count` inputs and `expectOutputs` outputs taken. */
  readonly counted: readonly boolean[];
  /** The original's timing per launch and frame; undefined while measuring it. */
  readonly timing?: readonly (readonly FrameTiming[])[];
}

export async function runMutant(built: BuiltSimulator, id: number, p: PropertyFrames, timeoutMs: number, launches: readonly Launch[] = LAUNCHES): Promise<MutantRun> {
  const timing: FrameTiming[][] = [];
  for (let l = 0; l < launches.length; l++) {
    const launch = launches[l]!;
    const r = await runLaunch(built, id, p, timeoutMs, launch, p.timing?.[l]);
    if (r.outcome !== 'survived') return { outcome: r.outcome, by: `${launch.name}, ${r.by}` };
    timing.push(r.timing);
  }
  return { outcome: 'survived', by: '', timing };
}

type LaunchRun = { outcome: 'survived'; timing: FrameTiming[] } | { outcome: 'killed' | 'timeout'; by: string };

async function runLaunch(built: BuiltSimulator, id: number, p: PropertyFrames, timeoutMs: number, launch: Launch, reference: readonly FrameTiming[] | undefined): Promise<LaunchRun> {
  const timing: FrameTiming[] = [];
  const sim = await startSimulator(built, { timeoutMs, args: [`+mutant=${id}`, ...launch.args] });
  try {
    const n = Math.min(launch.frames === 'short' ? (p.shortLaunchFrames ?? 1) : p.frames.length, p.frames.length);
    for (let k = 0; k < n; k++) {
      const frame = p.frames[k]!;
      const r = await sim.run(frame);
      const cmp = compareOutputs(p.expected[k]!, r.outputs, frame.expectOutputs, built.outWidth, 1);
      if (cmp.mismatchCount > 0) {
        const m = cmp.mismatches[0]!;
        return { outcome: 'killed', by: `${p.names[k]}: ${cmp.mismatchCount} outputs differ (first: output ${m.index} expected 0x${m.expected.toString(16)}, got 0x${m.actual.toString(16)})` };
      }
      if (p.counted[k] === true && (r.inHandshakes !== frame.count || r.outHandshakes !== frame.expectOutputs)) {
        return { outcome: 'killed', by: `${p.names[k]}: ${r.inHandshakes} of ${frame.count} inputs and ${r.outHandshakes} of ${frame.expectOutputs} outputs taken` };
      }
      const ref = reference?.[k];
      if (ref !== undefined && (r.cycles !== ref.cycles || r.inHandshakes !== ref.inHandshakes || r.outHandshakes !== ref.outHandshakes)) {
        return {
          outcome: 'killed',
          by: `${p.names[k]}: ${r.cycles} cycles, ${r.inHandshakes} inputs, ${r.outHandshakes} outputs taken where the original takes ${ref.cycles}, ${ref.inHandshakes}, ${ref.outHandshakes} under the same stall pattern`,
        };
      }
      timing.push({ cycles: r.cycles, inHandshakes: r.inHandshakes, outHandshakes: r.outHandshakes });
    }
    await sim.close();
    return { outcome: 'survived', timing };
  } catch (e) {
    if (!(e instanceof SimError)) throw e;
    const first = e.message.split('\n')[0]!.replace(/^pikehdl sim: /, '');
    if (e.kind === 'timeout' || (e.kind === 'status' && /cycle budget/.test(e.message))) return { outcome: 'timeout', by: first };
    // A protocol violation, a crash of the model or a missing sentinel: the properties caught it.
    return { outcome: 'killed', by: first };
  } finally {
    sim.kill();
  }
}
