/** The verdict of a Yosys `sat -tempinduct -prove-asserts` run, read from its log (Yosys 0.23 wording). */
import type { YosysRun } from './yosys.ts';

export type SatVerdict =
  /** Induction closed at this length: the property holds on every cycle after reset. */
  | { readonly kind: 'proven'; readonly induction: number; readonly ms: number }
  /** A counterexample after this many steps. */
  | { readonly kind: 'failed'; readonly step: number; readonly ms: number }
  /** No counterexample within `bound` cycles from reset; induction did not close. */
  | { readonly kind: 'bounded'; readonly bound: number; readonly ms: number }
  | { readonly kind: 'error'; readonly message: string; readonly ms: number };

export function satVerdict(run: YosysRun, maxSteps: number): SatVerdict {
  const log = run.log;
  const ms = run.ms;
  if (run.timedOut) return { kind: 'error', message: 'Yosys did not finish in time', ms };
  if (/Induction step proven: SUCCESS!/.test(log) && run.ok) {
    const steps = [...log.matchAll(/Induction step failed\. Incrementing induction length\./g)].length;
    return { kind: 'proven', induction: steps + 1, ms };
  }
  if (/model found for base case: FAIL!|model found: FAIL!/.test(log)) {
    const steps = [...log.matchAll(/Setting up time step (\d+):/g)];
    return { kind: 'failed', step: Number(steps.at(-1)?.[1] ?? 0), ms };
  }
  if (/Reached maximum number of time steps/.test(log)) return { kind: 'bounded', bound: maxSteps, ms };
  return { kind: 'error', message: /ERROR:[^\n]*/.exec(log)?.[0] ?? 'no verdict in the Yosys log', ms };
}

/**
 * The one `sat -tempinduct` proof script: read the design, then the formal
 * wrapper (`-formal`, so its asserts count), flatten, and prove every assert
 * from a reset held in cycle 1. With `memory`, memories become flip-flops
 * (sat has no memory cells).
 */
export function tempinductScript(sources: readonly string[], formalFile: string, top: string, maxSteps: number, memory: boolean): string {
  return [
    ...sources.map((s) => `read_verilog ${s}`),
    `read_verilog -formal ${formalFile}`,
    `hierarchy -check -top ${top}`,
    'proc',
    'flatten',
    ...(memory ? ['memory'] : []),
    'opt',
    `sat -tempinduct -prove-asserts -set-init-zero -set-at 1 rst 1 -seq 1 -maxsteps ${maxSteps}`,
    '',
  ].join('\n');
}
