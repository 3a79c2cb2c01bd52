// npm run bench: host-driven co-simulation vs the in-harness C++ loop, on a
// DSL-generated design (PIKEHDL_BENCH_DESIGN=dot16x4 selects the hand-written
// fixture instead), then the reference model's pointwise kernel vs g++ -O2.
// Writes bench/results.json (git-ignored). Exits non-zero on any mismatch.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import type { BenchDesign } from './benchDesign.ts';
import { runBench } from './coSimBench.ts';
import { dot16x4 } from './dot16x4.ts';
import { dotProductGenerated } from './dotProductGenerated.ts';
import { runReferenceBench } from './reference/pointwiseBench.ts';
import { formatReferenceBench } from './reference/report.ts';
import { runAccelPerfBench } from './accelPerf.ts';

const DESIGNS: Readonly<Record<string, BenchDesign>> = { dot_product: dotProductGenerated, dot16x4 };
const which = process.env.PIKEHDL_BENCH_DESIGN ?? 'dot_product';
const bench = DESIGNS[which];
if (bench === undefined) {
  process.stderr.write(`bench: PIKEHDL_BENCH_DESIGN=${which} is unknown: expected one of ${Object.keys(DESIGNS).join(', ')}\n`);
  process.exit(2);
}
const seconds = Number(process.env.PIKEHDL_BENCH_SECONDS ?? '0.5');
process.stdout.write(`== co-simulation: ${bench.design.top} (${bench.design.inWidth}-bit in, ${bench.design.outWidth}-bit out)\n`);
const points = await runBench(bench, { targetSeconds: seconds });
process.stdout.write('\n== reference model: integer pointwise convolution vs the same loop in g++ -O2\n');
const reference = runReferenceBench();
process.stdout.write(formatReferenceBench(reference));
process.stdout.write('\n== accelerator performance (synthetic-weight networks, pikelpn; cycle model checked against the RTL by cosim --model)\n');
const accel = runAccelPerfBench(process.env.PIKEHDL_BENCH_ACCEL ?? 'full', (s) => process.stdout.write(s)).map((r) => ({ ...r, layers: undefined }));
const results = {
  design: bench.design.top,
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
  loadAverage: os.loadavg(),
  verilator: execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim(),
  points,
  reference,
  accel,
};
writeFileSync(fileURLToPath(new URL('results.json', import.meta.url)), `${JSON.stringify(results, null, 2)}\n`);
const bad = points.reduce((n, p) => n + p.host.reduce((m, h) => m + h.mismatches, 0), 0);
if (bad > 0) {
  process.stderr.write(`bench: ${bad} outputs differ from the TypeScript reference\n`);
  process.exit(1);
}
if (!reference.checksumsAgree) {
  process.stderr.write('bench: the TypeScript and C++ pointwise kernels disagree\n');
  process.exit(1);
}
