/**
 * The Verilated accelerator: built once per (program, configuration), then
 * any number of inferences, one frame per image, pipelined through the
 * harness. Each frame streams the image's activations in and collects the
 * output stream (accelerator beats, see expectedBeats.ts).
 */
import { type AccelConfig, type AccelProgram, LOAD_TAGS, loadBeat, loadBeatBits, programLoadBeats, programPerformance } from '../../src/accel/index.ts';
import { generateAccelerator, generateLoadableAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { buildSimulator } from '../buildSimulator.ts';
import { startSimulator, type Simulator } from '../startSimulator.ts';
import { packValues, unpackValues } from '../packing.ts';
import type { BuiltSimulator, FrameResult, SimFrame } from '../types.ts';
import { type AccelBeats, valuesToBeats } from './expectedBeats.ts';

export interface AccelInference {
  readonly beats: AccelBeats;
  /** Harness cycles of the frame (load + compute + output). */
  readonly frameCycles: number;
  /** Time the harness spent simulating the frame (C++ clock, no I/O). */
  readonly simNs: number;
}

export async function buildAccelerator(program: AccelProgram, log?: (line: string) => void): Promise<BuiltSimulator> {
  const d = emitDesign(generateAccelerator(program), { romInit: 'inline' });
  return buildSimulator({ top: d.top, sources: d.sources.map((s) => ({ name: s.name, text: s.text })), inWidth: d.inWidth, outWidth: d.outWidth }, log ? { log } : {});
}

/**
 * A frame may take twice what the cycle model says an inference takes (load,
 * compute, output) before it fails as a hang: the harness's default budget
 * (64 cycles per beat) is far below a whole network on a narrow array.
 */
export function inferenceCycleBudget(program: AccelProgram, inputBeats: number): number {
  return 10_000 + 2 * (inputBeats + programPerformance(program).cycles + program.outputBeats);
}

export function acceleratorFrame(program: AccelProgram, input: Int32Array): SimFrame {
  const c = program.config;
  const w = c.actBits;
  const values = Array.from(input, (v) => BigInt.asUintN(w, BigInt(v)));
  const cycleBudget = inferenceCycleBudget(program, input.length);
  if (!c.loadable) return { inputs: packValues(values, w), count: input.length, expectOutputs: program.outputBeats, cycleBudget };
  return { inputs: packValues(values.map((v) => loadBeat(c, LOAD_TAGS.pixel, 0, v)), loadBeatBits(c)), count: input.length, expectOutputs: program.outputBeats, cycleBudget };
}

/** A loadable accelerator: the frame that writes the program's weight, parameter and descriptor memories. */
export function loadFrame(program: AccelProgram): SimFrame {
  const beats = programLoadBeats(program);
  return { inputs: packValues(beats, loadBeatBits(program.config)), count: beats.length, expectOutputs: 0 };
}

/** The Verilated loadable accelerator for a configuration (one build serves every program compiled for it). */
export async function buildLoadableAccelerator(config: AccelConfig, log?: (line: string) => void): Promise<BuiltSimulator> {
  const d = emitDesign(generateLoadableAccelerator(config));
  return buildSimulator({ top: d.top, sources: d.sources.map((s) => ({ name: s.name, text: s.text })), inWidth: d.inWidth, outWidth: d.outWidth }, log ? { log } : {});
}

export function decodeFrame(program: AccelProgram, r: FrameResult): AccelInference {
  const w = program.config.outBits;
  const values = unpackValues(r.outputs, r.count, w).map((v) => BigInt.asIntN(w, v));
  return { beats: valuesToBeats(program, values), frameCycles: r.cycles, simNs: r.simNs };
}

/** Runs inputs through a started simulator, at most `window` frames in flight; calls onResult in order. */
/**
 * `onSent(i)` runs once frame i is wholly written, while the harness simulates it: the place
 * for the caller's own work on that input (cosim --model computes runInt there, so the
 * reference and the simulation overlap on two cores).
 */
export async function runInferences(sim: Simulator, program: AccelProgram, inputs: readonly Int32Array[], onResult: (i: number, r: AccelInference) => void, window = 16, onSent?: (i: number) => void): Promise<void> {
  const inflight: Promise<FrameResult>[] = [];
  let done = 0;
  for (let i = 0; i < inputs.length; i++) {
    const { written, result } = sim.send(acceleratorFrame(program, inputs[i]!));
    inflight.push(result);
    await written;
    onSent?.(i);
    while (inflight.length >= window) onResult(done++, decodeFrame(program, await inflight.shift()!));
  }
  while (inflight.length > 0) onResult(done++, decodeFrame(program, await inflight.shift()!));
}

export { startSimulator };
