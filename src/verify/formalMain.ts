// Prints the formal checks' verdicts: npx tsx src/verify/formalMain.ts [fifoSteps]
import { runFormalChecks } from './formalChecks.ts';

const steps = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
for (const c of await runFormalChecks(steps === undefined ? {} : { fifoSteps: steps })) {
  const v = c.verdict;
  const what = v.kind === 'proven' ? `PROVEN for every cycle (induction length ${v.induction})` : v.kind === 'bounded' ? `no counterexample within ${v.bound} cycles from reset (bounded; induction did not close)` : v.kind === 'failed' ? `FAILED at step ${v.step}` : `ERROR ${v.message}`;
  process.stdout.write(`${c.name}: ${c.property}: ${what} (${v.ms} ms)\n`);
}
