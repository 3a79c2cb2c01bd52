// Prints the formal checks' verdicts (the documented sizes): npx tsx src/verify/formalMain.ts [fifoSteps]
import { DOC_FUSED, runFormalChecks, runPdrFormalChecks } from './formalChecks.ts';

const steps = process.argv[2] === undefined ? 24 : Number(process.argv[2]);
for (const c of await runFormalChecks({ fifoSteps: steps, fused: DOC_FUSED })) {
  const v = c.verdict;
  const what = v.kind === 'proven' ? `PROVEN for every cycle (induction length ${v.induction})` : v.kind === 'bounded' ? `no counterexample within ${v.bound} cycles from reset (bounded; induction did not close)` : v.kind === 'failed' ? `FAILED at step ${v.step}` : `ERROR ${v.message}`;
  process.stdout.write(`${c.name}: ${c.property}: ${what} (${v.ms} ms)\n`);
}
for (const c of await runPdrFormalChecks()) {
  const v = c.verdict;
  const what = v.kind === 'proven' ? `PROVEN for every cycle from any initial state (PDR invariant of ${v.clauses} clauses)` : v.kind === 'failed' ? `FAILED at frame ${v.frame}` : v.kind === 'undecided' ? 'undecided within the time limit' : `ERROR ${v.message}`;
  process.stdout.write(`${c.name}: ${c.property}: ${what} (${v.ms} ms)\n`);
}
