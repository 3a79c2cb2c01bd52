// Registers without a reset start random in every co-simulation (the builds'
// --x-initial unique and the harness's +verilator+rand+reset+2), so a design
// that reads a register before writing it fails the ordinary tests. The
// fixture's accumulator has no reset: from zeros it passes, from the default
// random state it fails.
import { describe, expect, it } from 'vitest';
import { buildSimulator, packValues, startSimulator } from '../../sim/index.ts';
import { INITIAL_STATE_ARGS, withInitialStateArgs } from '../../sim/startSimulator.ts';
import { fixtureDesign } from './helpers.ts';

const quiet = (): void => undefined;
const inputs = [1, 2, 3, 4, 5, 6, 7, 8].map(BigInt);
const sums = inputs.map((_, i) => inputs.slice(0, i + 1).reduce((a, b) => a + b, 0n));

async function outputsFrom(args: readonly string[] | undefined): Promise<bigint[]> {
  const built = await buildSimulator(fixtureDesign('unreset_sum', 8, 8), { log: quiet });
  const sim = await startSimulator(built, { timeoutMs: 30_000, ...(args ? { args: [...args] } : {}) });
  const r = await sim.run({ inputs: packValues(inputs, 8), count: inputs.length, expectOutputs: inputs.length });
  await sim.close();
  return Array.from(r.outputs, (b) => BigInt(b));
}

describe('initial state of registers without a reset', () => {
  it('the default launch starts them random, so a register read before it is written is caught', async () => {
    expect(withInitialStateArgs([])).toEqual(INITIAL_STATE_ARGS);
    expect(withInitialStateArgs(['+verilator+rand+reset+1'])).toEqual(['+verilator+rand+reset+1']);
    expect(await outputsFrom(['+verilator+rand+reset+0'])).toEqual(sums); // zeros: the bug hides
    const random = await outputsFrom(undefined);
    expect(random).toHaveLength(sums.length);
    expect(random).not.toEqual(sums);
  }, 60_000);
});
