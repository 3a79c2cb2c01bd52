import { existsSync } from 'node:fs';
import path from 'node:path';
import { compareOutputs } from './compareOutputs.ts';
import { buildRoot } from './paths.ts';
import { rerunWithTrace } from './rerunWithTrace.ts';
import { SimError } from './simError.ts';
import { startSimulator } from './startSimulator.ts';
import type { BuiltSimulator, Mismatch, SimFrame } from './types.ts';

export interface CoSimulateInput {
  built: BuiltSimulator;
  frames: readonly SimFrame[];
  /** Packed expected outputs, one array per frame (frame.expectOutputs transactions each). */
  expected: readonly Uint8Array[];
  /** What is being checked, for error messages (e.g. "conv1 layer, seed 42"). */
  describe: string;
  timeoutMs?: number;
  /** Directory for failure VCDs; default build/vcd. */
  vcdDir?: string;
}

export interface CoSimulateResult {
  compared: number;
  frames: number;
  cycles: number;
}

/** Thrown on an output mismatch; carries the dump of the failing run. */
export class CoSimMismatchError extends SimError {
  readonly mismatches: readonly Mismatch[];
  readonly vcdPath: string;
  constructor(message: string, mismatches: readonly Mismatch[], vcdPath: string) {
    super(message, 'mismatch');
    this.mismatches = mismatches;
    this.vcdPath = vcdPath;
  }
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

function vcdFile(dir: string, top: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-');
  return path.join(dir, `${top}-${stamp}-${process.pid}.vcd`);
}

/**
 * Runs every frame, compares every output against `expected`, and requires
 * the harness's completion sentinel. Comparing nothing is a failure. On a
 * mismatch (or a harness status error) the frames up to the failing one are
 * replayed with tracing and the error names the VCD.
 */
export async function coSimulate(input: CoSimulateInput): Promise<CoSimulateResult> {
  const { built, frames, expected, describe } = input;
  if (expected.length !== frames.length) {
    throw new SimError(`coSimulate(${describe}): ${frames.length} frames but ${expected.length} expected arrays`);
  }
  const vcdDir = input.vcdDir ?? path.join(buildRoot(), 'vcd');
  const sim = await startSimulator(built, { timeoutMs: input.timeoutMs ?? 120_000 });
  let compared = 0;
  let cycles = 0;
  let offset = 0;
  try {
    for (let k = 0; k < frames.length; k++) {
      const frame = frames[k]!;
      let result;
      try {
        result = await sim.run(frame);
      } catch (e) {
        if (e instanceof SimError && e.kind === 'status') {
          const vcd = await rerunWithTrace(built, frames.slice(0, k + 1), vcdFile(vcdDir, built.top), {
            fromFrame: k,
          });
          throw new SimError(`coSimulate(${describe}): ${e.message}\nVCD of the failing frame: ${vcd}`, 'status');
        }
        throw e;
      }
      cycles += result.cycles;
      const cmp = compareOutputs(expected[k]!, result.outputs, frame.expectOutputs, built.outWidth, 8);
      compared += cmp.compared;
      if (cmp.mismatchCount > 0) {
        sim.kill();
        const vcd = await rerunWithTrace(built, frames.slice(0, k + 1), vcdFile(vcdDir, built.top), {
          fromFrame: k,
        });
        const shown = cmp.mismatches.map((m) => ({ ...m, index: m.index + offset }));
        const lines = shown.map(
          (m) => `  output ${m.index}: expected ${hex(m.expected)}, actual ${hex(m.actual)}`,
        );
        throw new CoSimMismatchError(
          `coSimulate(${describe}): design ${built.top} frame ${k}: ${cmp.mismatchCount} of ` +
            `${frame.expectOutputs} outputs differ (first mismatch at output ${shown[0]!.index}):\n` +
            `${lines.join('\n')}\nVCD of the failing frame: ${vcd}${existsSync(vcd) ? '' : ' (not written)'}`,
          shown,
          vcd,
        );
      }
      offset += frame.expectOutputs;
    }
    await sim.close();
  } finally {
    sim.kill();
  }
  if (compared === 0) {
    throw new SimError(`coSimulate(${describe}): compared no outputs; a check that compares nothing fails`, 'no-comparison');
  }
  return { compared, frames: frames.length, cycles };
}
