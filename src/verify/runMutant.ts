/**
 * Runs one mutant of a built schemata through the unit's property
 * co-simulation (checkUnit's Verilator runs: always ready with every output
 * compared, the handshake/cycle count, then the random-backpressure seeds)
 * and says whether the properties caught it. A mutant that hangs is stopped
 * by the harness's cycle budget or the wall-clock timeout and counts as
 * killed by timeout, never as a crash of the tool.
 */
import { type BuiltSimulator, type SimFrame, SimError, compareOutputs, startSimulator } from '../../sim/index.ts';

export type MutantOutcome = 'killed' | 'timeout' | 'survived';

export interface MutantRun {
  readonly outcome: MutantOutcome;
  /** Which check caught it (empty for a survivor). */
  readonly by: string;
  /** Always-ready cycles (when that run completed). */
  readonly cycles?: number;
}

export interface PropertyFrames {
  /** Always-ready frame, then one frame per backpressure seed. */
  readonly frames: readonly SimFrame[];
  readonly names: readonly string[];
  /** Packed expected outputs (the same for every frame). */
  readonly expected: Uint8Array;
  readonly inputs: number;
  readonly outputs: number;
  /** Cycles of the original's always-ready run (the unit tests check exact cycle counts); undefined while measuring it. */
  readonly cycles?: number;
}

export async function runMutant(built: BuiltSimulator, id: number, p: PropertyFrames, timeoutMs: number): Promise<MutantRun> {
  const args = [`+mutant=${id}`];
  let firstCycles: number | undefined;
  const sim = await startSimulator(built, { timeoutMs, args });
  try {
    for (let k = 0; k < p.frames.length; k++) {
      const frame = p.frames[k]!;
      const r = await sim.run(frame);
      if (k === 0) firstCycles = r.cycles;
      const cmp = compareOutputs(p.expected, r.outputs, frame.expectOutputs, built.outWidth, 1);
      if (cmp.mismatchCount > 0) {
        const m = cmp.mismatches[0]!;
        return { outcome: 'killed', by: `${p.names[k]}: ${cmp.mismatchCount} outputs differ (first: output ${m.index} expected 0x${m.expected.toString(16)}, got 0x${m.actual.toString(16)})` };
      }
      if (k === 0 && (r.inHandshakes !== p.inputs || r.outHandshakes !== p.outputs)) {
        return { outcome: 'killed', by: `${p.names[k]}: ${r.inHandshakes} of ${p.inputs} inputs and ${r.outHandshakes} of ${p.outputs} outputs taken` };
      }
      if (k === 0 && p.cycles !== undefined && r.cycles !== p.cycles) {
        return { outcome: 'killed', by: `${p.names[k]}: ${r.cycles} cycles where the original takes ${p.cycles}` };
      }
    }
    await sim.close();
    return { outcome: 'survived', by: '', cycles: firstCycles };
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
