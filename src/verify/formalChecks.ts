/**
 * The formal checks run in CI and by `npx tsx src/verify/formalMain.ts`: the
 * stream buffers' transaction integrity, at small sizes Yosys's SAT solver
 * handles in seconds (the generators are width-generic, so the small case
 * exercises the same control logic as the wide one).
 */
import { fifo } from '../../hdl-gen/generators/fifo.ts';
import { skidBuffer } from '../../hdl-gen/generators/skidBuffer.ts';
import { type FusedCheckConfig, checkFusedEqualsUnfused } from './formalFused.ts';
import { type PdrStreamCheck, type StreamCheck, checkStreamBuffer, checkStreamBufferPdr } from './formalStream.ts';

/** CI size: small widths keep the multipliers cheap for the SAT solver (tens of seconds of CPU). */
export const SMALL_FUSED: FusedCheckConfig = { accBits: 4, multiplierBits: 2, scaleBits: 2, shift: 3, rounding: 'rne', outBits: 3 };
/** The documented run: still far below the units' defaults (a 20 x 16-bit multiplier is out of reach of SAT here). */
export const DOC_FUSED: FusedCheckConfig = { accBits: 6, multiplierBits: 3, scaleBits: 3, shift: 4, rounding: 'rnu', outBits: 4 };

export async function runFormalChecks(opts: { fifoSteps?: number; fused?: FusedCheckConfig } = {}): Promise<StreamCheck[]> {
  return [
    await checkStreamBuffer('skid_buffer (width 4)', skidBuffer({ name: 'skid_buffer', width: 4 }), 2),
    await checkStreamBuffer('fifo (width 3, 2 entries)', fifo({ name: 'fifo', width: 3, depthLog2: 1 }), 2, opts.fifoSteps ?? 16),
    await checkFusedEqualsUnfused(opts.fused ?? SMALL_FUSED),
  ];
}

/**
 * The FIFO sizes whose induction sat -tempinduct does not close, by PDR: 4
 * entries of 4 bits (under a second) and 8 entries of 5 bits (a few seconds).
 */
export async function runPdrFormalChecks(): Promise<PdrStreamCheck[]> {
  return [
    await checkStreamBufferPdr('fifo (width 4, 4 entries), PDR', fifo({ name: 'fifo', width: 4, depthLog2: 2 }), 4),
    await checkStreamBufferPdr('fifo (width 5, 8 entries), PDR', fifo({ name: 'fifo', width: 5, depthLog2: 3 }), 8),
  ];
}
