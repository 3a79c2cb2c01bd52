// npx tsx bench/reference/main.ts: the reference model's pointwise convolution
// against g++ -O2. Exits non-zero if the two disagree on the outputs.
import { runReferenceBench } from './pointwiseBench.ts';
import { formatReferenceBench } from './report.ts';

const r = runReferenceBench();
process.stdout.write(formatReferenceBench(r));
if (!r.checksumsAgree) process.exit(1);
