import { buildSimulator, startSimulator } from '../sim/index.ts';
import type { FrameResult } from '../sim/index.ts';
import { dot16x4 } from './dot16x4.ts';
const built = await buildSimulator(dot16x4.design, { log: () => {} });
const sim = await startSimulator(built);
const now = () => Number(process.hrtime.bigint());
for (const mode of ['noWork', 'genOnly', 'checkOnly', 'full', 'noWork', 'full']) {
  const n = 1024, depth = 32, frames = 6000;
  const fixed = dot16x4.generate(n, 1, 0);
  let bad = 0, hcpu = 0;
  const inflight: { inputs: Uint8Array; result: Promise<FrameResult> }[] = [];
  const settle = async () => { const f = inflight.shift()!; const r = await f.result; hcpu += r.cpuNs; if (mode === 'checkOnly' || mode === 'full') bad += dot16x4.check(f.inputs, r.outputs, n); };
  const c0 = process.cpuUsage(); const t0 = now();
  for (let k = 0; k < frames; k++) {
    const inputs = mode === 'genOnly' || mode === 'full' ? dot16x4.generate(n, 1, k) : fixed;
    inflight.push({ inputs, result: sim.run({ inputs, count: n, expectOutputs: n }) });
    if (inflight.length >= depth) await settle();
  }
  while (inflight.length) await settle();
  const wall = now() - t0; const c = process.cpuUsage(c0);
  const ns = (x: number) => (x / frames / n).toFixed(1);
  console.log(`${mode.padEnd(10)} ${(n * frames / wall * 1e3).toFixed(2)} Mtx/s; ns/tx: node user ${ns(c.user * 1000)} sys ${ns(c.system * 1000)} harness cpu ${ns(hcpu)} bad ${bad}`);
}
await sim.close();
