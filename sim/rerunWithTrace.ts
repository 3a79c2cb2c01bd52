import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startSimulator } from './startSimulator.ts';
import type { BuiltSimulator, SimFrame } from './types.ts';

export interface TraceOptions {
  /** Start dumping at this frame (earlier frames still run, to reach the same state). Default 0. */
  fromFrame?: number;
  timeoutMs?: number;
}

/**
 * Replays frames in a fresh harness process with VCD tracing on and returns
 * the VCD path (building the design's traced twin first when `built` has no
 * --trace: the same sources, harness and options with tracing, cached as usual). Runs until the last frame or the first failing one: the dump
 * is wanted precisely when something goes wrong, so run errors are swallowed.
 */
export async function rerunWithTrace(
  built: BuiltSimulator,
  frames: readonly SimFrame[],
  vcdPath: string,
  opts: TraceOptions = {},
): Promise<string> {
  const full = path.resolve(vcdPath);
  mkdirSync(path.dirname(full), { recursive: true });
  // Builds are untraced by default (faster to compile): the waveform needs the traced twin.
  const traced = built.withTrace ? await built.withTrace() : built;
  const sim = await startSimulator(traced, {
    timeoutMs: opts.timeoutMs ?? 120_000,
    env: { PIKEHDL_VCD: full, PIKEHDL_VCD_FROM_FRAME: String(opts.fromFrame ?? 0) },
  });
  try {
    for (const f of frames) await sim.run(f);
    await sim.close();
  } catch {
    // The VCD up to the failure is what the caller wants.
  } finally {
    sim.kill();
  }
  return full;
}
