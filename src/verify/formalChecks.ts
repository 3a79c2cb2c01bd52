/**
 * The formal checks run in CI and by `npx tsx src/verify/formalMain.ts`: the
 * stream buffers' transaction integrity, at small sizes Yosys's SAT solver
 * handles in seconds (the generators are width-generic, so the small case
 * exercises the same control logic as the wide one).
 */
import { fifo } from '../../hdl-gen/generators/fifo.ts';
import { skidBuffer } from '../../hdl-gen/generators/skidBuffer.ts';
import { type StreamCheck, checkStreamBuffer } from './formalStream.ts';

export async function runFormalChecks(opts: { fifoSteps?: number } = {}): Promise<StreamCheck[]> {
  return [
    await checkStreamBuffer('skid_buffer (width 4)', skidBuffer({ name: 'skid_buffer', width: 4 }), 2),
    await checkStreamBuffer('fifo (width 3, 2 entries)', fifo({ name: 'fifo', width: 3, depthLog2: 1 }), 2, opts.fifoSteps ?? 16),
  ];
}
