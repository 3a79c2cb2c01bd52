// npm run bench: host-driven co-simulation vs the in-harness C++ loop.
// Writes bench/results.json (git-ignored). Exits non-zero on any mismatch.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { runBench } from './coSimBench.ts';
import { dot16x4 } from './dot16x4.ts';

const seconds = Number(process.env.PIKEHDL_BENCH_SECONDS ?? '0.5');
const points = await runBench(dot16x4, { targetSeconds: seconds });
const results = {
  design: dot16x4.design.top,
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
  loadAverage: os.loadavg(),
  verilator: execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim(),
  points,
};
writeFileSync(fileURLToPath(new URL('results.json', import.meta.url)), `${JSON.stringify(results, null, 2)}\n`);
const bad = points.reduce((n, p) => n + p.host.reduce((m, h) => m + h.mismatches, 0), 0);
if (bad > 0) {
  process.stderr.write(`bench: ${bad} outputs differ from the TypeScript reference\n`);
  process.exit(1);
}
